<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
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
        <source>No projects yet. Create one!</source>
        <translation>Henüz proje yok. Bir tane oluştur!</translation>
    </message>
    <message>
        <source>Fetching data...</source>
        <translation>Veri yükleniyor...</translation>
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
</TS>
