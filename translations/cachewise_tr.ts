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
        <source>Tokens Processed</source>
        <translation>İşlenen Tokenlar</translation>
    </message>
    <message>
        <source>Memory Usage</source>
        <translation>Bellek Kullanımı</translation>
    </message>
    <message>
        <source>Optimization Score</source>
        <translation>Optimizasyon Skoru</translation>
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
</TS>
