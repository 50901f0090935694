<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
<context>
    <name>cachewise::ui::DashboardPage</name>
    <message>
        <source>KV Cache Size</source>
        <translation>KV Cache Boyutu</translation>
    </message>
    <message>
        <source>Inference Time</source>
        <translation>Çıkarım Süresi</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Kontrol Paneli</translation>
    </message>
    <message>
        <source>Fetching data...</source>
        <translation>Veri yükleniyor...</translation>
    </message>
    <message>
        <source>No projects yet. Create one!</source>
        <translation>Henüz proje yok. Bir tane oluştur!</translation>
    </message>
    <message>
        <source>Create your first project to start monitoring.</source>
        <translation>İzlemeye başlamak için ilk projenizi oluşturun.</translation>
    </message>
    <message>
        <source>Add Project</source>
        <translation>Proje Ekle</translation>
    </message>
    <message>
        <source>Project states</source>
        <translation>Proje durumları</translation>
    </message>
    <message>
        <source>Project Name</source>
        <translation>Proje Adı</translation>
    </message>
    <message>
        <source>Model Name</source>
        <translation>Model Adı</translation>
    </message>
    <message>
        <source>Last Sample</source>
        <translation>Son Örnek</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>No metrics yet</source>
        <translation>Henüz metrik yok</translation>
    </message>
    <message>
        <source>Waiting for metrics</source>
        <translation>Metrik bekleniyor</translation>
    </message>
    <message>
        <source>Receiving</source>
        <translation>Veri alınıyor</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Boşta</translation>
    </message>
    <message>
        <source>Double-click a project to open it</source>
        <translation>Açmak için bir projeye çift tıklayın</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::KpiCard</name>
    <message>
        <source>no earlier data</source>
        <translation>önceki veri yok</translation>
    </message>
    <message>
        <source>No metrics yet</source>
        <translation>Henüz metrik yok</translation>
    </message>
    <message>
        <source>%1 %2 %</source>
        <translation>%1 %%2</translation>
    </message>
    <message>
        <source>Change against the previous period of the same length</source>
        <translation>Aynı uzunluktaki önceki döneme göre değişim</translation>
    </message>
    <message>
        <source>Tokens Processed</source>
        <translation>İşlenen Tokenlar</translation>
    </message>
    <message>
        <source>KV Cache Size</source>
        <translation>KV Cache Boyutu</translation>
    </message>
    <message>
        <source>Memory Usage</source>
        <translation>Bellek Kullanımı</translation>
    </message>
    <message>
        <source>Inference Time</source>
        <translation>Çıkarım Süresi</translation>
    </message>
    <message>
        <source>Optimization Score</source>
        <translation>Optimizasyon Skoru</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Zaman aralığı</translation>
    </message>
    <message>
        <source>Live (5 min)</source>
        <translation>Canlı (5 dk)</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Son 1 saat</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Son 24 saat</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Son 7 gün</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Son 30 gün</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::MainWindow</name>
    <message>
        <source>CacheWise AI</source>
        <translation>CacheWise AI</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projeler</translation>
    </message>
    <message>
        <source>Listener starting…</source>
        <translation>Dinleyici başlatılıyor…</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Hata: %1</translation>
    </message>
    <message>
        <source>Listening on %1</source>
        <translation>%1 adresinde dinleniyor</translation>
    </message>
    <message>
        <source>Listener stopped</source>
        <translation>Dinleyici durdu</translation>
    </message>
    <message>
        <source>%1 samples/s · %2 errors</source>
        <translation>%1 örnek/sn · %2 hata</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Sayfalar</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Kontrol Paneli</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectDialog</name>
    <message>
        <source>New Project</source>
        <translation>Yeni Proje</translation>
    </message>
    <message>
        <source>Project Name</source>
        <translation>Proje Adı</translation>
    </message>
    <message>
        <source>Model Name</source>
        <translation>Model Adı</translation>
    </message>
    <message>
        <source>Model Architecture</source>
        <translation>Model Mimarisi</translation>
    </message>
    <message>
        <source>Add Project</source>
        <translation>Proje Ekle</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Düzenle</translation>
    </message>
    <message>
        <source>Save Changes</source>
        <translation>Değişiklikleri Kaydet</translation>
    </message>
    <message>
        <source>Project Name is required.</source>
        <translation>Proje adı zorunludur.</translation>
    </message>
    <message>
        <source>Model Name is required.</source>
        <translation>Model adı zorunludur.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectPage</name>
    <message>
        <source>Tokens Processed</source>
        <translation>İşlenen Tokenlar</translation>
    </message>
    <message>
        <source>KV Cache Size</source>
        <translation>KV Cache Boyutu</translation>
    </message>
    <message>
        <source>Memory Usage</source>
        <translation>Bellek Kullanımı</translation>
    </message>
    <message>
        <source>Inference Time</source>
        <translation>Çıkarım Süresi</translation>
    </message>
    <message>
        <source>Optimization Score</source>
        <translation>Optimizasyon Skoru</translation>
    </message>
    <message>
        <source>KV Cache Capacity</source>
        <translation>KV Cache Kapasitesi</translation>
    </message>
    <message>
        <source>KV Cache Usage</source>
        <translation>KV Cache Kullanımı</translation>
    </message>
    <message>
        <source>Requests Running</source>
        <translation>Çalışan İstekler</translation>
    </message>
    <message>
        <source>Requests Waiting</source>
        <translation>Bekleyen İstekler</translation>
    </message>
    <message>
        <source>Prefix Cache Hit Rate</source>
        <translation>Önek Cache İsabet Oranı</translation>
    </message>
    <message>
        <source>Tokens per Second</source>
        <translation>Saniye Başına Token</translation>
    </message>
    <message>
        <source>Time to First Token</source>
        <translation>İlk Token Süresi</translation>
    </message>
    <message>
        <source>Preemptions</source>
        <translation>Önalımlar</translation>
    </message>
    <message>
        <source>← Projects</source>
        <translation>← Projeler</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Kontrol Paneli</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>Öneriler</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metrikler</translation>
    </message>
    <message>
        <source>Action Log</source>
        <translation>Eylem Kaydı</translation>
    </message>
    <message>
        <source>API key created. Copy it now: it is shown only once.</source>
        <translation>API anahtarı oluşturuldu. Şimdi kopyalayın: yalnızca bir kez gösterilir.</translation>
    </message>
    <message>
        <source>API key revoked</source>
        <translation>API anahtarı iptal edildi</translation>
    </message>
    <message>
        <source>Exported %1 samples to %2</source>
        <translation>%1 örnek %2 dosyasına aktarıldı</translation>
    </message>
    <message>
        <source>Fetching data...</source>
        <translation>Veri yükleniyor...</translation>
    </message>
    <message>
        <source>No metrics available for this project.</source>
        <translation>Bu proje için henüz metrik yok.</translation>
    </message>
    <message>
        <source>No recommendations available at this time.</source>
        <translation>Şu anda uygun öneri bulunmamaktadır.</translation>
    </message>
    <message>
        <source>Model details</source>
        <translation>Model ayrıntıları</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Düzenle</translation>
    </message>
    <message>
        <source>Integration keys</source>
        <translation>Entegrasyon anahtarları</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>Anahtar oluştur</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>İptal et</translation>
    </message>
    <message>
        <source>New key (shown once):</source>
        <translation>Yeni anahtar (bir kez gösterilir):</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Key copied to the clipboard</source>
        <translation>Anahtar panoya kopyalandı</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Anahtar</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Ad</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Oluşturulma</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Son kullanım</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>created in the app</source>
        <translation>uygulamada oluşturuldu</translation>
    </message>
    <message>
        <source>Revoke this key? Programs that push with it get 401 from now on.</source>
        <translation>Bu anahtar iptal edilsin mi? Onunla gönderen programlar bundan sonra 401 alır.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Push metrics from your program</source>
        <translation>Programınızdan metrik gönderin</translation>
    </message>
    <message>
        <source>Snippet copied to the clipboard</source>
        <translation>Kod parçası panoya kopyalandı</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Önce en yeni</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Önce en eski</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Uygula</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV olarak dışa aktar…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Başlangıç</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bitiş</translation>
    </message>
    <message>
        <source>No automated actions yet.</source>
        <translation>Henüz otomatik eylem yok.</translation>
    </message>
    <message>
        <source>Timestamp</source>
        <translation>Zaman Damgası</translation>
    </message>
    <message>
        <source>Action Type</source>
        <translation>Eylem Türü</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detaylar</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV dosyaları (*.csv)</translation>
    </message>
    <message>
        <source>Project Name</source>
        <translation>Proje Adı</translation>
    </message>
    <message>
        <source>Model Name</source>
        <translation>Model Adı</translation>
    </message>
    <message>
        <source>Model Architecture</source>
        <translation>Model Mimarisi</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Örnekler</translation>
    </message>
    <message>
        <source>Last Sample</source>
        <translation>Son Örnek</translation>
    </message>
    <message>
        <source>No metrics yet</source>
        <translation>Henüz metrik yok</translation>
    </message>
    <message>
        <source>never</source>
        <translation>hiç</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>İptal edildi</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Etkin</translation>
    </message>
    <message>
        <source>Estimated Memory Saving: %1 %</source>
        <translation>Tahmini Bellek Tasarrufu: %%1</translation>
    </message>
    <message>
        <source>Estimated Speed Increase: %1 %</source>
        <translation>Tahmini Hız Artışı: %%1</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Başarılı</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Hata</translation>
    </message>
    <message>
        <source>Automated Management</source>
        <translation>Otomatik Yönetim</translation>
    </message>
    <message>
        <source>Enable Automated Management</source>
        <translation>Otomatik Yönetimi Etkinleştir</translation>
    </message>
    <message>
        <source>Dry run: record decisions in the action log, change nothing</source>
        <translation>Deneme modu: kararları eylem kaydına yaz, hiçbir şeyi değiştirme</translation>
    </message>
    <message>
        <source>Max Cache Size (%)</source>
        <translation>Maks. Cache Boyutu (%)</translation>
    </message>
    <message>
        <source>Act when the KV cache is fuller than this share of its capacity</source>
        <translation>KV cache kapasitesinin bu oranından daha dolu olunca harekete geç</translation>
    </message>
    <message>
        <source>Max Latency Increase (%)</source>
        <translation>Maks. Gecikme Artışı (%)</translation>
    </message>
    <message>
        <source>Act when inference time rises more than this against its recent average</source>
        <translation>Çıkarım süresi son ortalamasına göre bundan fazla artınca harekete geç</translation>
    </message>
    <message>
        <source>Save Changes</source>
        <translation>Değişiklikleri Kaydet</translation>
    </message>
    <message>
        <source>Automated management settings saved</source>
        <translation>Otomatik yönetim ayarları kaydedildi</translation>
    </message>
    <message>
        <source>Please enter a valid number.</source>
        <translation>Lütfen geçerli bir sayı girin.</translation>
    </message>
    <message>
        <source>Enter a percentage above 0 and at most 100.</source>
        <translation>0&apos;dan büyük ve en fazla 100 olan bir yüzde girin.</translation>
    </message>
    <message>
        <source>Enter a percentage from 0 to 1000.</source>
        <translation>0 ile 1000 arasında bir yüzde girin.</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Uygulandı</translation>
    </message>
    <message>
        <source>Dismissed</source>
        <translation>Reddedildi</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Bekliyor</translation>
    </message>
    <message>
        <source>Apply Recommendation</source>
        <translation>Öneriyi Uygula</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Reddet</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectTableModel</name>
    <message>
        <source>No metrics yet</source>
        <translation>Henüz metrik yok</translation>
    </message>
    <message>
        <source>Project Name</source>
        <translation>Proje Adı</translation>
    </message>
    <message>
        <source>Model Name</source>
        <translation>Model Adı</translation>
    </message>
    <message>
        <source>Model Architecture</source>
        <translation>Model Mimarisi</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Örnekler</translation>
    </message>
    <message>
        <source>Last Sample</source>
        <translation>Son Örnek</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectsPage</name>
    <message>
        <source>Edit</source>
        <translation>Düzenle</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projeler</translation>
    </message>
    <message>
        <source>Search projects</source>
        <translation>Projelerde ara</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Yeni Proje</translation>
    </message>
    <message>
        <source>Create a project (Ctrl+N)</source>
        <translation>Proje oluştur (Ctrl+N)</translation>
    </message>
    <message>
        <source>Fetching data...</source>
        <translation>Veri yükleniyor...</translation>
    </message>
    <message>
        <source>No projects yet. Create one!</source>
        <translation>Henüz proje yok. Bir tane oluştur!</translation>
    </message>
    <message>
        <source>Project created: %1</source>
        <translation>Proje oluşturuldu: %1</translation>
    </message>
    <message>
        <source>Project saved: %1</source>
        <translation>Proje kaydedildi: %1</translation>
    </message>
    <message>
        <source>Project deleted</source>
        <translation>Proje silindi</translation>
    </message>
    <message>
        <source>Delete the project &quot;%1&quot; and all its metrics, keys and logs? This cannot be undone.</source>
        <translation>&quot;%1&quot; projesi tüm metrikleri, anahtarları ve kayıtlarıyla silinsin mi? Bu işlem geri alınamaz.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SampleLogModel</name>
    <message>
        <source>Timestamp</source>
        <translation>Zaman Damgası</translation>
    </message>
    <message>
        <source>Tokens Processed</source>
        <translation>İşlenen Tokenlar</translation>
    </message>
    <message>
        <source>KV Cache Size</source>
        <translation>KV Cache Boyutu</translation>
    </message>
    <message>
        <source>Memory Usage</source>
        <translation>Bellek Kullanımı</translation>
    </message>
    <message>
        <source>Inference Time</source>
        <translation>Çıkarım Süresi</translation>
    </message>
    <message>
        <source>Optimization Score</source>
        <translation>Optimizasyon Skoru</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SettingsPage</name>
    <message>
        <source>Reduce motion (no fades or chart animations)</source>
        <translation>Hareketi azalt (geçiş ve grafik animasyonu yok)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Dil</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistem</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Açık</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Koyu</translation>
    </message>
    <message>
        <source>Listener starting…</source>
        <translation>Dinleyici başlatılıyor…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Veri klasörü</translation>
    </message>
    <message>
        <source>Listener</source>
        <translation>Dinleyici</translation>
    </message>
    <message>
        <source>The window is rebuilt in the chosen language</source>
        <translation>Pencere seçilen dilde yeniden oluşturulur</translation>
    </message>
</context>
</TS>
