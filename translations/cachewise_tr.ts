<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
<context>
    <name>cachewise::analysis::Recommender</name>
    <message>
        <source>The same memory holds %1 more concurrent sequences of %2 tokens.</source>
        <translation>Aynı bellek %2 tokenlık %1 eşzamanlı dizi daha alır.</translation>
    </message>
    <message>
        <source>No memory saved; %1 more requests are served at once.</source>
        <translation>Bellek kazancı yok; aynı anda %1 istek daha karşılanır.</translation>
    </message>
    <message>
        <source>No memory saved.</source>
        <translation>Bellek kazancı yok.</translation>
    </message>
    <message>
        <source>Store the KV cache as %1</source>
        <translation>KV cache’i %1 olarak sakla</translation>
    </message>
    <message>
        <source>The cache is kept at %1 (K/V) and reached %2 % of its allocation.</source>
        <translation>Cache %1 (K/V) olarak tutuluyor ve ayrılan alanın %%2’sine ulaştı.</translation>
    </message>
    <message>
        <source>No speed gain is claimed: FP8 KV is only faster with a fused FP8 attention kernel; otherwise values are converted on every read.</source>
        <translation>Hız kazancı iddia edilmez: FP8 KV yalnızca birleşik bir FP8 attention çekirdeğiyle hızlıdır; aksi halde değerler her okumada dönüştürülür.</translation>
    </message>
    <message>
        <source>Small accuracy loss; scales come from the checkpoint or default to 1.0.</source>
        <translation>Küçük doğruluk kaybı; ölçekler checkpoint’ten gelir ya da 1,0 kabul edilir.</translation>
    </message>
    <message>
        <source>About the same decoding speed with flash attention; a quantized V cache needs it.</source>
        <translation>Flash attention ile çözme hızı hemen hemen aynı; nicemlenmiş V cache bunu gerektirir.</translation>
    </message>
    <message>
        <source>About +2.4 % perplexity without rotation: check quality on your own prompts first.</source>
        <translation>Döndürme olmadan yaklaşık +%2,4 perplexity: önce kendi istemlerinizde kaliteyi kontrol edin.</translation>
    </message>
    <message>
        <source>About +0.04 % perplexity for q8_0 K and V.</source>
        <translation>q8_0 K ve V için yaklaşık +%0,04 perplexity.</translation>
    </message>
    <message>
        <source>Ollama applies it to every model it serves.</source>
        <translation>Ollama bunu sunduğu her modele uygular.</translation>
    </message>
    <message>
        <source>Shrink the context to %1 tokens per sequence</source>
        <translation>Bağlamı dizi başına %1 tokena düşür</translation>
    </message>
    <message>
        <source>In %1 minutes the cache never held more than %2 tokens, but %3 are allocated per sequence.</source>
        <translation>%1 dakikada cache hiçbir zaman %2 tokendan fazlasını tutmadı, ama dizi başına %3 ayrılmış.</translation>
    </message>
    <message>
        <source>No change in speed; the engine restarts with the new size.</source>
        <translation>Hız değişmez; motor yeni boyutla yeniden başlar.</translation>
    </message>
    <message>
        <source>Sequences longer than the new context are cut or refused; 25 % headroom is kept over the peak seen.</source>
        <translation>Yeni bağlamdan uzun diziler kesilir ya da reddedilir; görülen zirvenin üzerinde %25 pay bırakılır.</translation>
    </message>
    <message>
        <source>Serve %1 requests at once instead of %2</source>
        <translation>Aynı anda %2 yerine %1 istek karşıla</translation>
    </message>
    <message>
        <source>Requests waited in %1 % of the minutes while the cache was on average only %2 % full.</source>
        <translation>Cache ortalama yalnızca %%2 doluyken dakikaların %%1’inde istekler bekledi.</translation>
    </message>
    <message>
        <source>Higher throughput while requests queue; each request decodes a little slower.</source>
        <translation>İstekler kuyruktayken daha yüksek verim; her istek biraz daha yavaş çözülür.</translation>
    </message>
    <message>
        <source>No quality risk; each slot gets a smaller share of a non-unified cache.</source>
        <translation>Kalite riski yok; birleşik olmayan bir cache’te her slot daha küçük pay alır.</translation>
    </message>
    <message>
        <source>No quality risk.</source>
        <translation>Kalite riski yok.</translation>
    </message>
    <message>
        <source>Conversations run into the context limit</source>
        <translation>Konuşmalar bağlam sınırına dayanıyor</translation>
    </message>
    <message>
        <source>The cache reached %1 % of its allocation; inference time changed by %2 % over the window.</source>
        <translation>Cache ayrılan alanın %%1’ine ulaştı; çıkarım süresi bu aralıkta %%2 değişti.</translation>
    </message>
    <message>
        <source>Keeps long conversations going instead of failing them.</source>
        <translation>Uzun konuşmaları başarısız kılmak yerine sürdürür.</translation>
    </message>
    <message>
        <source>The oldest tokens are dropped, so the model forgets the start of long conversations.</source>
        <translation>En eski tokenlar atılır; model uzun konuşmaların başını unutur.</translation>
    </message>
    <message>
        <source>Keep sliding-window layers at their window</source>
        <translation>Kayan pencere katmanlarını pencereleriyle sınırla</translation>
    </message>
    <message>
        <source>--swa-full keeps the whole context in layers that only look at %1 tokens.</source>
        <translation>--swa-full, yalnızca %1 tokena bakan katmanlarda tüm bağlamı tutar.</translation>
    </message>
    <message>
        <source>No change in decoding speed.</source>
        <translation>Çözme hızında değişiklik yok.</translation>
    </message>
    <message>
        <source>Prompt reuse across requests is more limited for these layers.</source>
        <translation>Bu katmanlarda istekler arası istem yeniden kullanımı daha sınırlıdır.</translation>
    </message>
    <message>
        <source>Reuse repeated prompt prefixes</source>
        <translation>Tekrarlanan istem öneklerini yeniden kullan</translation>
    </message>
    <message>
        <source>Only %1 % of prompt tokens came from the prefix cache.</source>
        <translation>İstem tokenlarının yalnızca %%1’i önek önbelleğinden geldi.</translation>
    </message>
    <message>
        <source>Only %1 % of prompt tokens came from the prefix cache, and prefix caching is off.</source>
        <translation>İstem tokenlarının yalnızca %%1’i önek önbelleğinden geldi ve önek önbelleği kapalı.</translation>
    </message>
    <message>
        <source>At a 50 % hit rate, %1 % fewer prompt tokens are computed: a shorter time to first token.</source>
        <translation>%50 isabet oranında %%1 daha az istem tokenı hesaplanır: ilk tokena kadar geçen süre kısalır.</translation>
    </message>
    <message>
        <source>Stop vLLM from preempting requests</source>
        <translation>vLLM’in istekleri kesmesini önle</translation>
    </message>
    <message>
        <source>%1 requests were preempted in %2 minutes: the KV cache ran out and their work was recomputed.</source>
        <translation>%2 dakikada %1 istek kesildi: KV cache doldu ve işleri yeniden hesaplandı.</translation>
    </message>
    <message>
        <source>Steadier latency: no recomputation of preempted requests.</source>
        <translation>Daha kararlı gecikme: kesilen isteklerin yeniden hesaplanması yok.</translation>
    </message>
    <message>
        <source>A higher memory share leaves less room for other processes on the GPU.</source>
        <translation>Daha yüksek bellek payı GPU’daki diğer süreçlere daha az yer bırakır.</translation>
    </message>
    <message>
        <source>Move part of the cache to system memory</source>
        <translation>Cache’in bir kısmını sistem belleğine taşı</translation>
    </message>
    <message>
        <source>Memory use peaked at %1 GB of %2 GB on the GPU.</source>
        <translation>Bellek kullanımı GPU’da %2 GB’nin %1 GB’sinde zirve yaptı.</translation>
    </message>
    <message>
        <source>The cache is full (%1 %) and requests wait, although it is already quantized.</source>
        <translation>Cache dolu (%%1) ve istekler bekliyor, oysa zaten nicemlenmiş.</translation>
    </message>
    <message>
        <source>Slower decoding: cached keys and values cross the PCIe bus.</source>
        <translation>Daha yavaş çözme: önbellekteki anahtarlar ve değerler PCIe yolundan geçer.</translation>
    </message>
    <message>
        <source>Cache in use</source>
        <translation>Kullanılan cache</translation>
    </message>
    <message>
        <source>Bytes per token</source>
        <translation>Token başına bayt</translation>
    </message>
    <message>
        <source>Latency trend</source>
        <translation>Gecikme eğilimi</translation>
    </message>
    <message>
        <source>Waiting requests</source>
        <translation>Bekleyen istekler</translation>
    </message>
    <message>
        <source>Saves %1 % of KV memory (%2 of %3).</source>
        <translation>KV belleğinin %%1’ini kazandırır (%3’in %2’si).</translation>
    </message>
    <message>
        <source>The cache is kept at %1 (K/V), %2 for this configuration.</source>
        <translation>Cache %1 (K/V) olarak tutuluyor; bu yapılandırmada %2.</translation>
    </message>
    <message>
        <source>No quality risk; Ollama allocates the context for every parallel request: %1 more KV memory.</source>
        <translation>Kalite riski yok; Ollama her paralel istek için bağlam ayırır: %1 daha fazla KV belleği.</translation>
    </message>
</context>
<context>
    <name>cachewise::model::ActionDetails</name>
    <message>
        <source>%1 %</source>
        <translation>%%1</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>llama-server cannot change this at run time; restart it with a smaller batch (-ub 256 -b 1024) or fewer slots (-np)</source>
        <translation>llama-server bunu çalışırken değiştiremez; daha küçük bir toplu işle (-ub 256 -b 1024) ya da daha az slotla (-np) yeniden başlatın</translation>
    </message>
    <message>
        <source>vLLM cannot change this at run time; restart it with a smaller --max-num-batched-tokens (chunked prefill) or --max-num-seqs</source>
        <translation>vLLM bunu çalışırken değiştiremez; daha küçük bir --max-num-batched-tokens (parçalı prefill) ya da --max-num-seqs ile yeniden başlatın</translation>
    </message>
    <message>
        <source>SGLang cannot change this at run time; restart it with a smaller --chunked-prefill-size or --max-running-requests</source>
        <translation>SGLang bunu çalışırken değiştiremez; daha küçük bir --chunked-prefill-size ya da --max-running-requests ile yeniden başlatın</translation>
    </message>
    <message>
        <source>Ollama cannot change this at run time; lower OLLAMA_NUM_PARALLEL and restart it</source>
        <translation>Ollama bunu çalışırken değiştiremez; OLLAMA_NUM_PARALLEL değerini düşürüp yeniden başlatın</translation>
    </message>
    <message>
        <source>the server cannot change this at run time; restart it with smaller batches or fewer parallel requests</source>
        <translation>sunucu bunu çalışırken değiştiremez; daha küçük toplu işlerle ya da daha az paralel istekle yeniden başlatın</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>KV cache at %1 % (limit %2 %): evict least recently used entries down to %3 %</source>
        <translation>KV önbelleği %%1 (sınır %%2): en uzun süredir kullanılmayan girdileri %%3’e kadar boşalt</translation>
    </message>
    <message>
        <source>time per output token</source>
        <translation>çıktı tokenı başına süre</translation>
    </message>
    <message>
        <source>inference time</source>
        <translation>çıkarım süresi</translation>
    </message>
    <message>
        <source>%1 %2 ms with %3 request(s) running, %4 % above its %5 ms baseline at that load (limit +%6 %)</source>
        <translation>%3 istek çalışırken %1 %2 ms; bu yükteki %5 ms temel değerinin %%4 üzerinde (sınır +%%6)</translation>
    </message>
    <message>
        <source>%1 %2 ms, %3 % above its %4 ms baseline (limit +%5 %)</source>
        <translation>%1 %2 ms; %4 ms temel değerinin %%3 üzerinde (sınır +%%5)</translation>
    </message>
    <message>
        <source>prefill in chunks of %1 tokens</source>
        <translation>prefill’i %1 tokenlık parçalarla yap</translation>
    </message>
    <message>
        <source>not tried: llama-server refused to erase slots (HTTP 501) — start it with --slot-save-path DIR, CacheWise tries again after it restarts</source>
        <translation>denenmedi: llama-server slot silmeyi reddetti (HTTP 501) — --slot-save-path KLASÖR ile başlatın; CacheWise yeniden başladıktan sonra tekrar dener</translation>
    </message>
    <message>
        <source>%1: the source&apos;s API key could not be read from the OS keychain (%2)</source>
        <translation>%1: kaynağın API anahtarı işletim sisteminin anahtar zincirinden okunamadı (%2)</translation>
    </message>
    <message>
        <source>no entry</source>
        <translation>kayıt yok</translation>
    </message>
    <message>
        <source>%1: %2 cannot change this at run time; restart it with the new setting</source>
        <translation>%1: %2 bunu çalışırken değiştiremez; yeni ayarla yeniden başlatın</translation>
    </message>
    <message>
        <source>%1: start vLLM with VLLM_SERVER_DEV_MODE=1 to allow it</source>
        <translation>%1: izin vermek için vLLM’i VLLM_SERVER_DEV_MODE=1 ile başlatın</translation>
    </message>
    <message>
        <source>%1: SGLang flushes only while no request runs (%2)</source>
        <translation>%1: SGLang yalnızca hiçbir istek çalışmıyorken boşaltır (%2)</translation>
    </message>
    <message>
        <source>%1: POST %2 failed (%3)</source>
        <translation>%1: POST %2 başarısız oldu (%3)</translation>
    </message>
    <message>
        <source>%1: POST %2 answered 200; KV usage %3 → %4</source>
        <translation>%1: POST %2 200 döndü; KV kullanımı %3 → %4</translation>
    </message>
    <message>
        <source>%1: POST %2 answered 200; KV usage %3 → %4 (the cache did not shrink)</source>
        <translation>%1: POST %2 200 döndü; KV kullanımı %3 → %4 (önbellek küçülmedi)</translation>
    </message>
    <message>
        <source>%1: cannot read %2 (%3)</source>
        <translation>%1: %2 okunamıyor (%3)</translation>
    </message>
    <message>
        <source>%1: no model is loaded</source>
        <translation>%1: yüklü model yok</translation>
    </message>
    <message>
        <source>%1: unloading %2 failed (%3)</source>
        <translation>%1: %2 bellekten kaldırılamadı (%3)</translation>
    </message>
    <message>
        <source>%1: unloaded %2; memory %3 bytes → 0</source>
        <translation>%1: %2 bellekten kaldırıldı; bellek %3 bayt → 0</translation>
    </message>
    <message>
        <source>%1: the size of the KV cache is not known yet (say whether the slots share one cache on the project&apos;s Settings tab)</source>
        <translation>%1: KV önbelleğinin boyutu henüz bilinmiyor (slotların tek bir önbelleği paylaşıp paylaşmadığını projenin Ayarlar sekmesinde belirtin)</translation>
    </message>
    <message>
        <source>%1: %2 of %3 tokens in use, already at or below the target of %4</source>
        <translation>%1: %3 tokenın %2 tanesi kullanımda; zaten %4 hedefinde ya da altında</translation>
    </message>
    <message>
        <source>%1: no idle slot holds tokens (%2 of %3 in use, all in requests being processed)</source>
        <translation>%1: token tutan boşta slot yok (%3 tokenın %2 tanesi kullanımda, hepsi işlenen isteklerde)</translation>
    </message>
    <message>
        <source>%1: HTTP 501, llama-server erases slots only when started with --slot-save-path</source>
        <translation>%1: HTTP 501; llama-server slotları yalnızca --slot-save-path ile başlatıldığında siler</translation>
    </message>
    <message>
        <source>%1: erasing slot %2 failed (%3)</source>
        <translation>%1: slot %2 silinemedi (%3)</translation>
    </message>
    <message>
        <source>slot %1 (%2 tokens)</source>
        <translation>slot %1 (%2 token)</translation>
    </message>
    <message>
        <source>%1: erased %2; tokens in use %3 → %4</source>
        <translation>%1: %2 silindi; kullanımdaki tokenlar %3 → %4</translation>
    </message>
    <message>
        <source>%1 delivered to %2 (HTTP %3)</source>
        <translation>%1, %2 adresine iletildi (HTTP %3)</translation>
    </message>
    <message>
        <source>%1 not delivered to %2: %3</source>
        <translation>%1, %2 adresine iletilemedi: %3</translation>
    </message>
    <message>
        <source>Marked applied: %1</source>
        <translation>Uygulandı olarak işaretlendi: %1</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>Geri alındı: %1</translation>
    </message>
    <message>
        <source>Cleared %1 %2 cache entries due to exceeding %3% memory threshold.</source>
        <translation>%%3 bellek eşiği aşıldığı için %1 %2 önbellek girdisi temizlendi.</translation>
    </message>
</context>
<context>
    <name>cachewise::services::AsyncServers</name>
    <message>
        <source>Servers are not managed in this run.</source>
        <translation>Bu çalıştırmada sunucular yönetilmiyor.</translation>
    </message>
    <message>
        <source>Another server is being restarted; try again when it is done.</source>
        <translation>Başka bir sunucu yeniden başlatılıyor; bitince tekrar deneyin.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::AccountPage</name>
    <message>
        <source>Hosted account</source>
        <translation>Barındırılan hesap</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Bağlantıyı sına</translation>
    </message>
    <message>
        <source>Save and sync</source>
        <translation>Kaydet ve eşitle</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Eşitleme</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Şimdi eşitle</translation>
    </message>
    <message>
        <source>Forget account…</source>
        <translation>Hesabı unut…</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Hesap</translation>
    </message>
    <message>
        <source>Sync projects, their settings, recommendations, the action log and metric history (as minute and hour rollups) between your machines through your own WebDAV storage: Nextcloud, ownCloud or any WebDAV server. API key secrets and raw samples never leave this machine.</source>
        <translation>Projeleri, ayarlarını, önerileri, eylem kaydını ve metrik geçmişini (dakikalık ve saatlik özetler olarak) kendi WebDAV depolamanız üzerinden makineleriniz arasında eşitleyin: Nextcloud, ownCloud ya da herhangi bir WebDAV sunucusu. API anahtarlarının gizli değerleri ve ham örnekler bu makineden hiç çıkmaz.</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>Sunucu URL’si</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Kullanıcı</translation>
    </message>
    <message>
        <source>App password</source>
        <translation>Uygulama parolası</translation>
    </message>
    <message>
        <source>Kept in the system keychain</source>
        <translation>Sistemin anahtar zincirinde tutulur</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Klasör</translation>
    </message>
    <message>
        <source>Encryption passphrase</source>
        <translation>Şifreleme parolası</translation>
    </message>
    <message>
        <source>Optional: encrypts every file</source>
        <translation>İsteğe bağlı: her dosyayı şifreler</translation>
    </message>
    <message>
        <source>Private CA (PEM)</source>
        <translation>Özel CA (PEM)</translation>
    </message>
    <message>
        <source>Optional, for a self-hosted server</source>
        <translation>İsteğe bağlı, kendi barındırdığınız sunucu için</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Seç…</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not signed by an authority this system trusts. Trust it only if this SHA-256 fingerprint is the one your server shows:</source>
        <translation>Sunucunun sertifikası bu sistemin güvendiği bir makam tarafından imzalanmamış. Yalnızca bu SHA-256 parmak izi sunucunuzun gösterdiğiyle aynıysa güvenin:</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>Bu sertifikaya güven</translation>
    </message>
    <message>
        <source>Other devices</source>
        <translation>Diğer aygıtlar</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Aygıt</translation>
    </message>
    <message>
        <source>Merged through change</source>
        <translation>Birleştirilen son değişiklik</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Sorun</translation>
    </message>
    <message>
        <source>Private CA certificate</source>
        <translation>Özel CA sertifikası</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM sertifikaları (*.pem *.crt);;Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Bağlanılıyor…</translation>
    </message>
    <message>
        <source>Forget the account?</source>
        <translation>Hesap unutulsun mu?</translation>
    </message>
    <message>
        <source>This device stops syncing. Its data stays here, and the account keeps what was sent. Joining again later, this device counts as a new one.</source>
        <translation>Bu aygıt eşitlemeyi bırakır. Verileri burada kalır, hesap da gönderilenleri saklar. Daha sonra yeniden katılırsa bu aygıt yeni bir aygıt sayılır.</translation>
    </message>
    <message>
        <source>This device no longer syncs</source>
        <translation>Bu aygıt artık eşitlemiyor</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Hata: %1</translation>
    </message>
    <message>
        <source>The server URL is not usable: it must be an https:// address.</source>
        <translation>Sunucu URL’si kullanılamıyor: https:// ile başlayan bir adres olmalı.</translation>
    </message>
    <message>
        <source>The user name is missing or not valid.</source>
        <translation>Kullanıcı adı eksik ya da geçersiz.</translation>
    </message>
    <message>
        <source>The folder does not exist on the server, or is not a path under the URL (HTTP 404).</source>
        <translation>Klasör sunucuda yok ya da URL’nin altında bir yol değil (HTTP 404).</translation>
    </message>
    <message>
        <source>The private CA file cannot be read or holds no certificate.</source>
        <translation>Özel CA dosyası okunamıyor ya da sertifika içermiyor.</translation>
    </message>
    <message>
        <source>The server&apos;s name cannot be found (DNS).</source>
        <translation>Sunucunun adı bulunamıyor (DNS).</translation>
    </message>
    <message>
        <source>The server cannot be reached.</source>
        <translation>Sunucuya ulaşılamıyor.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>Sunucu zamanında yanıt vermedi.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted.</source>
        <translation>Sunucunun sertifikasına güvenilmiyor.</translation>
    </message>
    <message>
        <source>The server refused the user name or app password (HTTP 401).</source>
        <translation>Sunucu kullanıcı adını ya da uygulama parolasını reddetti (HTTP 401).</translation>
    </message>
    <message>
        <source>Enter the app password.</source>
        <translation>Uygulama parolasını girin.</translation>
    </message>
    <message>
        <source>This user may not use that folder (HTTP 403).</source>
        <translation>Bu kullanıcı o klasörü kullanamaz (HTTP 403).</translation>
    </message>
    <message>
        <source>The storage is full (HTTP 507): free space on the server.</source>
        <translation>Depolama dolu (HTTP 507): sunucuda yer açın.</translation>
    </message>
    <message>
        <source>That address does not speak WebDAV.</source>
        <translation>Bu adres WebDAV konuşmuyor.</translation>
    </message>
    <message>
        <source>The encryption passphrase is wrong, missing, or was changed on another device.</source>
        <translation>Şifreleme parolası yanlış, eksik ya da başka bir aygıtta değiştirilmiş.</translation>
    </message>
    <message>
        <source>The system keychain did not answer.</source>
        <translation>Sistemin anahtar zinciri yanıt vermedi.</translation>
    </message>
    <message>
        <source>Sync failed.</source>
        <translation>Eşitleme başarısız oldu.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Eşitleniyor…</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Henüz eşitlenmedi</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Eşitleme başarısız</translation>
    </message>
    <message>
        <source>Some files could not be used: see the Account page</source>
        <translation>Bazı dosyalar kullanılamadı: Hesap sayfasına bakın</translation>
    </message>
    <message>
        <source>Synced %1</source>
        <translation>Eşitlendi %1</translation>
    </message>
    <message>
        <source>Syncing with %1 as %2%3</source>
        <translation>%1 ile %2 olarak eşitleniyor%3</translation>
    </message>
    <message>
        <source>, end-to-end encrypted</source>
        <translation>, uçtan uca şifreli</translation>
    </message>
    <message>
        <source>This device: %1</source>
        <translation>Bu aygıt: %1</translation>
    </message>
    <message>
        <source>Waiting to be sent: %1 changed records, %2 numbered changes</source>
        <translation>Gönderilmeyi bekleyen: %1 değişen kayıt, %2 numaralanmış değişiklik</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>Son eşitleme: hiç</translation>
    </message>
    <message>
        <source>Last sync failed at %1: %2</source>
        <translation>%1 tarihindeki son eşitleme başarısız oldu: %2</translation>
    </message>
    <message>
        <source>Last sync %1: sent %2 changes in %3 files (%4 bytes); received %5 files; applied %6 changes; %7 versions lost a conflict (see the action log)</source>
        <translation>Son eşitleme %1: %3 dosyada %2 değişiklik gönderildi (%4 bayt); %5 dosya alındı; %6 değişiklik uygulandı; %7 sürüm bir çakışmada geride kaldı (eylem kaydına bakın)</translation>
    </message>
    <message>
        <source>A file could not be used; this device&apos;s later changes wait for it</source>
        <translation>Bir dosya kullanılamadı; bu aygıtın sonraki değişiklikleri onu bekliyor</translation>
    </message>
    <message>
        <source>Saved: the app password is in the system keychain. Syncing now.</source>
        <translation>Kaydedildi: uygulama parolası sistemin anahtar zincirinde. Şimdi eşitleniyor.</translation>
    </message>
    <message>
        <source>Connected: the server answers as WebDAV and the folder is usable.</source>
        <translation>Bağlandı: sunucu WebDAV olarak yanıt veriyor ve klasör kullanılabilir.</translation>
    </message>
    <message>
        <source>Account saved</source>
        <translation>Hesap kaydedildi</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Ayrıntılar: %1</translation>
    </message>
    <message>
        <source>Preparing changes…</source>
        <translation>Değişiklikler hazırlanıyor…</translation>
    </message>
    <message>
        <source>Sending %1: %p%</source>
        <translation>%1 gönderiliyor: %%p</translation>
    </message>
    <message>
        <source>Receiving %1: %p%</source>
        <translation>%1 alınıyor: %%p</translation>
    </message>
    <message>
        <source>Merging %1…</source>
        <translation>%1 birleştiriliyor…</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ActionLogPanel</name>
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
        <source>Status</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>No automated actions yet.</source>
        <translation>Henüz otomatik eylem yok.</translation>
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
        <source>Failed</source>
        <translation>Başarısız</translation>
    </message>
    <message>
        <source>Waiting for acknowledgement</source>
        <translation>Onay bekleniyor</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Prova</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Uyarı</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Atlandı</translation>
    </message>
    <message>
        <source>Erase least recently used slots</source>
        <translation>En uzun süredir kullanılmayan slotları sil</translation>
    </message>
    <message>
        <source>Smaller prefill chunks</source>
        <translation>Daha küçük prefill parçaları</translation>
    </message>
    <message>
        <source>Threshold crossed</source>
        <translation>Eşik aşıldı</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Recommendation marked applied</source>
        <translation>Öneri uygulandı olarak işaretlendi</translation>
    </message>
    <message>
        <source>Recommendation undone</source>
        <translation>Öneri geri alındı</translation>
    </message>
    <message>
        <source>on</source>
        <translation>açık</translation>
    </message>
    <message>
        <source>off</source>
        <translation>kapalı</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>Context (tokens)</source>
        <translation>Bağlam (token)</translation>
    </message>
    <message>
        <source>Parallel sequences</source>
        <translation>Paralel diziler</translation>
    </message>
    <message>
        <source>Unified KV cache</source>
        <translation>Birleşik KV önbelleği</translation>
    </message>
    <message>
        <source>Full-size sliding-window cache</source>
        <translation>Tam boyutlu kayan pencere önbelleği</translation>
    </message>
    <message>
        <source>K cache type</source>
        <translation>K önbellek türü</translation>
    </message>
    <message>
        <source>V cache type</source>
        <translation>V önbellek türü</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>Prefix caching</source>
        <translation>Önek önbellekleme</translation>
    </message>
    <message>
        <source>Model architecture changed</source>
        <translation>Model mimarisi değişti</translation>
    </message>
    <message>
        <source>GPU memory: %1 → %2</source>
        <translation>GPU belleği: %1 → %2</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>Cache Pruning</source>
        <translation>Önbellek Budama</translation>
    </message>
    <message>
        <source>Sync conflict</source>
        <translation>Eşitleme çakışması</translation>
    </message>
    <message>
        <source>the project</source>
        <translation>projeyi</translation>
    </message>
    <message>
        <source>the automation limits</source>
        <translation>otomasyon sınırlarını</translation>
    </message>
    <message>
        <source>the engine and model</source>
        <translation>motoru ve modeli</translation>
    </message>
    <message>
        <source>a source</source>
        <translation>bir kaynağı</translation>
    </message>
    <message>
        <source>a llama-server profile</source>
        <translation>bir llama-server profilini</translation>
    </message>
    <message>
        <source>a recommendation</source>
        <translation>bir öneriyi</translation>
    </message>
    <message>
        <source>an action</source>
        <translation>bir eylemi</translation>
    </message>
    <message>
        <source>an API key</source>
        <translation>bir API anahtarını</translation>
    </message>
    <message>
        <source>a runtime change</source>
        <translation>bir çalışma zamanı değişikliğini</translation>
    </message>
    <message>
        <source>a deletion</source>
        <translation>bir silme</translation>
    </message>
    <message>
        <source>Two devices changed %1; device %2&apos;s version was kept. The version device %3 made at %4 lost: %5</source>
        <translation>İki aygıt %1 değiştirdi; %2 aygıtının sürümü tutuldu. %3 aygıtının %4 tarihinde yaptığı sürüm geride kaldı: %5</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ApplyRecommendationDialog</name>
    <message>
        <source>Mark as Applied</source>
        <translation>Uygulandı Olarak İşaretle</translation>
    </message>
    <message>
        <source>CacheWise records the change; it does not change your server. Make the change there yourself.</source>
        <translation>CacheWise değişikliği kaydeder; sunucunuzu değiştirmez. Değişikliği sunucuda kendiniz yapın.</translation>
    </message>
    <message>
        <source>CacheWise records the change; it does not restart your server. Restart it with:</source>
        <translation>CacheWise değişikliği kaydeder; sunucunuzu yeniden başlatmaz. Sunucuyu şu ayarlarla yeniden başlatın:</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Bayraklar</translation>
    </message>
    <message>
        <source>The project&apos;s runtime stays as it is: CacheWise does not model this setting.</source>
        <translation>Projenin çalışma ortamı olduğu gibi kalır: CacheWise bu ayarı modellemez.</translation>
    </message>
    <message>
        <source>The project&apos;s runtime will change (the charts mark when; Undo puts it back):</source>
        <translation>Projenin çalışma ortamı değişecek (grafikler zamanını işaretler; Geri Al eski haline getirir):</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Copy Flags and Mark as Applied</source>
        <translation>Bayrakları Kopyala ve Uygulandı İşaretle</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ConfirmDialog</name>
    <message>
        <source>Type %1 to confirm.</source>
        <translation>Onaylamak için %1 yazın.</translation>
    </message>
    <message>
        <source>Confirmation</source>
        <translation>Onay</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ConversionDialog</name>
    <message>
        <source>Updating the database</source>
        <translation>Veritabanı güncelleniyor</translation>
    </message>
    <message>
        <source>CacheWise stores samples in a more compact form now. Your stored samples are being converted; this happens once.</source>
        <translation>CacheWise artık örnekleri daha sıkı bir biçimde saklıyor. Kayıtlı örnekleriniz dönüştürülüyor; bu yalnızca bir kez olur.</translation>
    </message>
    <message>
        <source>Counting the samples…</source>
        <translation>Örnekler sayılıyor…</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>Durdur ve Çık</translation>
    </message>
    <message>
        <source>What is converted stays converted; the rest is converted the next time CacheWise starts.</source>
        <translation>Dönüştürülenler dönüştürülmüş kalır; kalanı CacheWise bir sonraki açılışında dönüştürülür.</translation>
    </message>
    <message>
        <source>%1 of %2 samples converted</source>
        <translation>%2 örnekten %1 tanesi dönüştürüldü</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>Geçerli toplu işlemden sonra duruluyor…</translation>
    </message>
</context>
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
    <message>
        <source>Export…</source>
        <translation>Dışa aktar…</translation>
    </message>
    <message>
        <source>A PDF or HTML report of every project, or their samples as CSV or JSON</source>
        <translation>Tüm projelerin PDF veya HTML raporu ya da örnekleri CSV veya JSON olarak</translation>
    </message>
    <message>
        <source>KV Cache Used (% of Capacity)</source>
        <translation>Kullanılan KV Önbelleği (Kapasitenin %&apos;si)</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>Yakınlaştırmayı Sıfırla</translation>
    </message>
    <message>
        <source>Back to the chosen range (or double-click the chart)</source>
        <translation>Seçilen aralığa dön (ya da grafiğe çift tıklayın)</translation>
    </message>
    <message>
        <source>% of capacity</source>
        <translation>Kapasitenin %&apos;si</translation>
    </message>
    <message>
        <source>Each project&apos;s KV cache in use as a share of what its engine allocated, so one large project does not flatten the others. Projects that report neither a capacity nor a usage share are left out.</source>
        <translation>Her projenin kullanılan KV önbelleği, motorunun ayırdığının payı olarak; böylece büyük bir proje diğerlerini bastırmaz. Ne kapasite ne de kullanım payı bildiren projeler gösterilmez.</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Kapasite</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projeler</translation>
    </message>
    <message>
        <source>See Details</source>
        <translation>Detayları Gör</translation>
    </message>
    <message>
        <source>Open the selected project</source>
        <translation>Seçili projeyi aç</translation>
    </message>
    <message>
        <source>View All Projects</source>
        <translation>Tüm Projeleri Görüntüle</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>Dışa aktar</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Biçim</translation>
    </message>
    <message>
        <source>PDF report</source>
        <translation>PDF raporu</translation>
    </message>
    <message>
        <source>HTML report</source>
        <translation>HTML raporu</translation>
    </message>
    <message>
        <source>Samples as CSV</source>
        <translation>Örnekler (CSV)</translation>
    </message>
    <message>
        <source>Samples as JSON</source>
        <translation>Örnekler (JSON)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Dosya</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Seç…</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ExportJob</name>
    <message>
        <source>%1 rows written</source>
        <translation>%1 satır yazıldı</translation>
    </message>
    <message>
        <source>Writing the samples…</source>
        <translation>Örnekler yazılıyor…</translation>
    </message>
    <message>
        <source>Reading the data…</source>
        <translation>Veriler okunuyor…</translation>
    </message>
    <message>
        <source>Drawing the report…</source>
        <translation>Rapor çiziliyor…</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::GetStartedPanel</name>
    <message>
        <source>Welcome to CacheWise. How do your metrics get here?</source>
        <translation>CacheWise&apos;a hoş geldiniz. Metrikleriniz buraya nasıl gelsin?</translation>
    </message>
    <message>
        <source>No metrics for this project yet. Connect its server or send from your code:</source>
        <translation>Bu projenin henüz metriği yok. Sunucusunu bağlayın ya da kodunuzdan gönderin:</translation>
    </message>
    <message>
        <source>Connect a running server</source>
        <translation>Çalışan bir sunucuyu bağla</translation>
    </message>
    <message>
        <source>Find Servers</source>
        <translation>Sunucuları Bul</translation>
    </message>
    <message>
        <source>Send metrics from your code</source>
        <translation>Metrikleri kodunuzdan gönderin</translation>
    </message>
    <message>
        <source>Creates a project and its API key, and shows ready snippets for curl, Python and the OpenTelemetry SDK that push to this app.</source>
        <translation>Bir proje ve API anahtarını oluşturur; bu uygulamaya gönderen curl, Python ve OpenTelemetry SDK için hazır kod parçaları gösterir.</translation>
    </message>
    <message>
        <source>The project&apos;s Settings tab has its keys and ready snippets for curl, Python and the OpenTelemetry SDK that push to this app.</source>
        <translation>Projenin Ayarlar sekmesinde anahtarları ve bu uygulamaya gönderen curl, Python ve OpenTelemetry SDK için hazır kod parçaları bulunur.</translation>
    </message>
    <message>
        <source>Create Project…</source>
        <translation>Proje Oluştur…</translation>
    </message>
    <message>
        <source>Show Keys and Snippets</source>
        <translation>Anahtarları ve Kodları Göster</translation>
    </message>
    <message>
        <source>Explore with sample data</source>
        <translation>Örnek verilerle keşfedin</translation>
    </message>
    <message>
        <source>Three sample projects (llama.cpp, vLLM, Ollama) with two hours of history, recommendations and a score. Delete them whenever you like.</source>
        <translation>İki saatlik geçmişi, önerileri ve skoru olan üç örnek proje (llama.cpp, vLLM, Ollama). İstediğiniz zaman silebilirsiniz.</translation>
    </message>
    <message>
        <source>Load Sample Data</source>
        <translation>Örnek Verileri Yükle</translation>
    </message>
    <message>
        <source>Looking on ports %1…</source>
        <translation>Şu portlara bakılıyor: %1…</translation>
    </message>
    <message>
        <source>Nothing answered on %1. Start your server (for llama-server: --metrics --slots), then look again.</source>
        <translation>%1 üzerinde yanıt veren olmadı. Sunucunuzu başlatın (llama-server için: --metrics --slots), sonra yeniden bakın.</translation>
    </message>
    <message>
        <source>Found on this machine:</source>
        <translation>Bu makinede bulunanlar:</translation>
    </message>
    <message>
        <source>needs its API key: add it in a project&apos;s Settings</source>
        <translation>API anahtarı gerekiyor: bir projenin Ayarlar sekmesinden ekleyin</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ekle</translation>
    </message>
    <message>
        <source>Loading two hours of samples…</source>
        <translation>İki saatlik örnek veri yükleniyor…</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Yüklenemedi: %1</translation>
    </message>
    <message>
        <source>CacheWise reads llama-server, vLLM, SGLang and Ollama on this machine. It tries the ports %1. llama-server needs %2 and %3; LM Studio is found but has no metrics endpoint: send from your code instead.</source>
        <translation>CacheWise bu makinedeki llama-server, vLLM, SGLang ve Ollama sunucularını okur. Denediği portlar: %1. llama-server %2 ve %3 ister; LM Studio bulunur ama metrik uç noktası yoktur: bunun yerine kodunuzdan gönderin.</translation>
    </message>
    <message>
        <source>no model loaded</source>
        <translation>yüklü model yok</translation>
    </message>
    <message>
        <source>no metrics endpoint: push from your code</source>
        <translation>metrik uç noktası yok: kodunuzdan gönderin</translation>
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
    <message>
        <source>Not measured</source>
        <translation>Ölçülmedi</translation>
    </message>
    <message>
        <source>The samples in this range do not report this figure (llama-server, for example, reports no request latency).</source>
        <translation>Bu aralıktaki örnekler bu değeri bildirmiyor (örneğin llama-server istek gecikmesi bildirmez).</translation>
    </message>
    <message>
        <source>CacheWise&apos;s score (0–100), computed from the last 24 hours of measurements and the engine and model described in Settings; the Recommendations tab shows its parts. A score a client pushes is shown apart, as &quot;Reported Score&quot;.</source>
        <translation>CacheWise&apos;ın skoru (0–100): son 24 saatin ölçümlerinden ve Ayarlar&apos;da tanımlanan motor ile modelden hesaplanır; parçalarını Öneriler sekmesi gösterir. Bir istemcinin gönderdiği skor ayrıca, &quot;Bildirilen Skor&quot; olarak gösterilir.</translation>
    </message>
    <message>
        <source>%1 / 100</source>
        <translation>%1 / 100</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>son 24 saat</translation>
    </message>
    <message>
        <source>one project, last 24 h</source>
        <translation>tek proje, son 24 sa</translation>
    </message>
    <message>
        <source>mean of %1 projects, last 24 h</source>
        <translation>%1 projenin ortalaması, son 24 sa</translation>
    </message>
    <message>
        <source>No project&apos;s engine described</source>
        <translation>Hiçbir projenin motoru tanımlı değil</translation>
    </message>
    <message>
        <source>Describe engine and model</source>
        <translation>Motoru ve modeli tanımlayın</translation>
    </message>
    <message>
        <source>Needs more data</source>
        <translation>Daha fazla veri gerekli</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::LatencyTable</name>
    <message>
        <source>Latency percentiles (last scrape)</source>
        <translation>Gecikme yüzdelikleri (son okuma)</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Gecikme</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>İlk token süresi</translation>
    </message>
    <message>
        <source>Between tokens</source>
        <translation>Tokenlar arası</translation>
    </message>
    <message>
        <source>Per output token</source>
        <translation>Çıktı token başına</translation>
    </message>
    <message>
        <source>Whole request</source>
        <translation>Tüm istek</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::LogView</name>
    <message>
        <source>debug</source>
        <translation>hata ayıklama</translation>
    </message>
    <message>
        <source>info</source>
        <translation>bilgi</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>uyarı</translation>
    </message>
    <message>
        <source>error</source>
        <translation>hata</translation>
    </message>
    <message>
        <source>fatal</source>
        <translation>ölümcül</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Düzey</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>İleti</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>İzle</translation>
    </message>
    <message>
        <source>Lowest level shown</source>
        <translation>Gösterilen en düşük düzey</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Tüm düzeyler</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Bilgi ve üstü</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Uyarılar ve hatalar</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Yalnızca hatalar</translation>
    </message>
    <message>
        <source>Filter lines…</source>
        <translation>Satırları süz…</translation>
    </message>
    <message>
        <source>Show lines containing</source>
        <translation>Şunu içeren satırları göster</translation>
    </message>
    <message>
        <source>Keep the newest line in view as lines arrive</source>
        <translation>Satırlar geldikçe en yeni satırı görünür tut</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Copies the selected lines, or every line shown</source>
        <translation>Seçili satırları ya da gösterilen tüm satırları kopyalar</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Kaydet…</translation>
    </message>
    <message>
        <source>Save Log</source>
        <translation>Günlüğü Kaydet</translation>
    </message>
    <message>
        <source>Text files (*.log *.txt)</source>
        <translation>Metin dosyaları (*.log *.txt)</translation>
    </message>
    <message>
        <source>Log saved to %1</source>
        <translation>Günlük %1 dosyasına kaydedildi</translation>
    </message>
    <message>
        <source>The log was not saved: %1</source>
        <translation>Günlük kaydedilmedi: %1</translation>
    </message>
    <message>
        <source>Lines copied: %1</source>
        <translation>Kopyalanan satır: %1</translation>
    </message>
    <message>
        <source>Lines: %1</source>
        <translation>Satır: %1</translation>
    </message>
    <message>
        <source>Lines shown: %1 of %2</source>
        <translation>Gösterilen satır: %1 / %2</translation>
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
    <message>
        <source>%1: inference time is above its limit.</source>
        <translation>%1: çıkarım süresi sınırının üzerinde.</translation>
    </message>
    <message>
        <source>%1: the KV cache is above its limit.</source>
        <translation>%1: KV cache sınırının üzerinde.</translation>
    </message>
    <message>
        <source>Dry run: the decision is only in the action log.</source>
        <translation>Prova: karar yalnızca eylem kaydında, hiçbir şey değişmedi.</translation>
    </message>
    <message>
        <source>A directive went to the client; see the action log.</source>
        <translation>İstemciye bir yönerge gönderildi; eylem kaydına bakın.</translation>
    </message>
    <message>
        <source>Automated management</source>
        <translation>Otomatik yönetim</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Dışa aktarılıyor…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Dışa aktar</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Aç</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1 dosyasına aktarıldı</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Dışa aktarma bitti</translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>Dışa aktarma başarısız oldu: %1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written</source>
        <translation>Dışa aktarma iptal edildi; hiçbir şey yazılmadı</translation>
    </message>
    <message>
        <source>Sample projects loaded</source>
        <translation>Örnek projeler yüklendi</translation>
    </message>
    <message>
        <source>%1: llama-server keeps crashing and is no longer restarted; its last lines are in the action log.</source>
        <translation>%1: llama-server sürekli çöküyor ve artık yeniden başlatılmıyor; son satırları eylem günlüğünde.</translation>
    </message>
    <message>
        <source>Local servers</source>
        <translation>Yerel sunucular</translation>
    </message>
    <message>
        <source>Models &amp; Servers</source>
        <translation>Modeller ve Sunucular</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Hesap</translation>
    </message>
    <message>
        <source>Hosted account: open the Account page</source>
        <translation>Barındırılan hesap: Hesap sayfasını açın</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::MetricsLogPanel</name>
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
        <source>CSV files (*.csv)</source>
        <translation>CSV dosyaları (*.csv)</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::NewKeyDialog</name>
    <message>
        <source>Project Created</source>
        <translation>Proje Oluşturuldu</translation>
    </message>
    <message>
        <source>%1 is ready for metrics.</source>
        <translation>%1 metrikler için hazır.</translation>
    </message>
    <message>
        <source>Its API key is shown only this once: copy it now. You can make more keys and revoke them in the project&apos;s Settings.</source>
        <translation>API anahtarı yalnızca bu kez gösterilir: şimdi kopyalayın. Projenin Ayarlar sekmesinde yeni anahtarlar oluşturabilir ve iptal edebilirsiniz.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>Copy Key</source>
        <translation>Anahtarı Kopyala</translation>
    </message>
    <message>
        <source>API key copied to the clipboard</source>
        <translation>API anahtarı panoya kopyalandı</translation>
    </message>
    <message>
        <source>Send a first sample from your code:</source>
        <translation>Kodunuzdan ilk örneği gönderin:</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Snippet copied to the clipboard</source>
        <translation>Kod parçası panoya kopyalandı</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Tamam</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectDashboardPanel</name>
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
        <source>Created</source>
        <translation>Oluşturulma</translation>
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
        <source>KV cache as % of capacity</source>
        <translation>KV önbelleği kapasitenin %&apos;si olarak</translation>
    </message>
    <message>
        <source>Draw the KV cache in use as a share of what the engine allocated, with the automation limit; otherwise in bytes next to the allocation.</source>
        <translation>Kullanılan KV önbelleğini motorun ayırdığının payı olarak, otomasyon sınırıyla birlikte çizer; aksi halde ayrılan miktarın yanında bayt olarak.</translation>
    </message>
    <message>
        <source>Runtime changed</source>
        <translation>Çalışma ortamı değişti</translation>
    </message>
    <message>
        <source>Recommendation applied</source>
        <translation>Öneri uygulandı</translation>
    </message>
    <message>
        <source>%1 (undone)</source>
        <translation>%1 (geri alındı)</translation>
    </message>
    <message>
        <source>Automation limit %1 %</source>
        <translation>Otomasyon sınırı %%1</translation>
    </message>
    <message>
        <source>KV Cache Used (% of Capacity)</source>
        <translation>Kullanılan KV Önbelleği (Kapasitenin %&apos;si)</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Kullanımda</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Kapasite</translation>
    </message>
    <message>
        <source>KV Cache: In Use and Allocated</source>
        <translation>KV Önbelleği: Kullanılan ve Ayrılan</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>Ayrılan</translation>
    </message>
    <message>
        <source>llama-server Memory (no NVIDIA GPU to read)</source>
        <translation>llama-server Belleği (okunacak NVIDIA GPU yok)</translation>
    </message>
    <message>
        <source>llama-server Memory</source>
        <translation>llama-server Belleği</translation>
    </message>
    <message>
        <source>The resident memory of the llama-server process CacheWise launched, and its GPU memory where an NVIDIA driver reports it; read every 5 seconds.</source>
        <translation>CacheWise’ın başlattığı llama-server sürecinin yerleşik belleği ve bir NVIDIA sürücüsünün bildirdiği yerde GPU belleği; 5 saniyede bir okunur.</translation>
    </message>
    <message>
        <source>Resident memory</source>
        <translation>Yerleşik bellek</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU belleği</translation>
    </message>
    <message>
        <source>llama-server CPU (100 % = one core)</source>
        <translation>llama-server CPU (%100 = bir çekirdek)</translation>
    </message>
    <message>
        <source>CPU time the llama-server process used, as a share of one core; read every 5 seconds.</source>
        <translation>llama-server sürecinin kullandığı CPU zamanı, bir çekirdeğin payı olarak; 5 saniyede bir okunur.</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
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
        <source>Exported %1 samples to %2</source>
        <translation>%1 örnek %2 dosyasına aktarıldı</translation>
    </message>
    <message>
        <source>What If</source>
        <translation>Senaryo</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Dışa aktar…</translation>
    </message>
    <message>
        <source>A PDF or HTML report of this project, or its samples as CSV or JSON</source>
        <translation>Bu projenin PDF veya HTML raporu ya da örnekleri CSV veya JSON olarak</translation>
    </message>
    <message>
        <source>Throughput (all requests)</source>
        <translation>Verim (tüm istekler)</translation>
    </message>
    <message>
        <source>Generation Speed per Request</source>
        <translation>İstek Başına Üretim Hızı</translation>
    </message>
    <message>
        <source>Time per Output Token</source>
        <translation>Çıktı Tokenı Başına Süre</translation>
    </message>
    <message>
        <source>Prompt tokens evaluated plus tokens generated in each interval, as the server counts them or as your program pushed them.</source>
        <translation>Her aralıkta işlenen istem tokenları ile üretilen tokenlar; sunucunun saydığı ya da programınızın gönderdiği biçimde.</translation>
    </message>
    <message>
        <source>KV cache memory in use: tokens held in the cache × bytes per token of the project&apos;s model.</source>
        <translation>Kullanılan KV cache belleği: cache’teki tokenlar × projenin modelinde token başına bayt.</translation>
    </message>
    <message>
        <source>Model weights plus the allocated KV cache (scraped servers), or what your program pushed.</source>
        <translation>Model ağırlıkları ile ayrılan KV cache (okunan sunucular) ya da programınızın gönderdiği değer.</translation>
    </message>
    <message>
        <source>Time per request, end to end: the mean of the requests that finished in each interval, or what your program pushed.</source>
        <translation>İstek başına uçtan uca süre: her aralıkta biten isteklerin ortalaması ya da programınızın gönderdiği değer.</translation>
    </message>
    <message>
        <source>The KV cache the engine allocated, in bytes.</source>
        <translation>Motorun ayırdığı KV cache, bayt olarak.</translation>
    </message>
    <message>
        <source>Share of the KV cache&apos;s token positions in use, all slots together.</source>
        <translation>KV cache’teki token konumlarının kullanılan payı, tüm slotlar birlikte.</translation>
    </message>
    <message>
        <source>Requests being processed when the sample was taken.</source>
        <translation>Örnek alındığı anda işlenen istekler.</translation>
    </message>
    <message>
        <source>Requests queued, waiting for a slot or for memory.</source>
        <translation>Bir slot ya da bellek için kuyrukta bekleyen istekler.</translation>
    </message>
    <message>
        <source>Share of prompt tokens served from the cache in each interval.</source>
        <translation>Her aralıkta cache’ten karşılanan istem tokenlarının payı.</translation>
    </message>
    <message>
        <source>Server throughput: tokens generated per second of wall time, all requests together.</source>
        <translation>Sunucu verimi: gerçek zamanın saniyesi başına üretilen tokenlar, tüm istekler birlikte.</translation>
    </message>
    <message>
        <source>Mean time to the first token of the requests in each interval.</source>
        <translation>Her aralıktaki isteklerin ilk tokena kadar geçen ortalama süresi.</translation>
    </message>
    <message>
        <source>Requests the engine preempted to free KV memory (its counter).</source>
        <translation>Motorun KV belleği boşaltmak için kestiği istekler (sayacı).</translation>
    </message>
    <message>
        <source>Speed of one request while it generates: tokens per second of the requests that finished in each interval. Lower than the throughput when requests run side by side.</source>
        <translation>Bir isteğin üretim sırasındaki hızı: her aralıkta biten isteklerin saniye başına tokenı. İstekler yan yana çalışırken verimden düşüktür.</translation>
    </message>
    <message>
        <source>Mean time between two output tokens of one request, over the requests that finished in each interval.</source>
        <translation>Bir isteğin iki çıktı tokenı arasındaki ortalama süre; her aralıkta biten isteklerde.</translation>
    </message>
    <message>
        <source>Reported Score</source>
        <translation>Bildirilen Skor</translation>
    </message>
    <message>
        <source>The score your program pushed as optimizationScore (0–100), shown as it came. It is not CacheWise&apos;s Optimization Score, which is computed from the measurements and the runtime (the key figures and the Recommendations tab).</source>
        <translation>Programınızın optimizationScore olarak gönderdiği skor (0–100), geldiği gibi. CacheWise&apos;ın Optimizasyon Skoru değildir; o, ölçümlerden ve çalışma ayarlarından hesaplanır (temel göstergeler ve Öneriler sekmesi).</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>Yakınlaştırmayı Sıfırla</translation>
    </message>
    <message>
        <source>Back to the chosen range (or double-click a chart)</source>
        <translation>Seçilen aralığa dön (ya da bir grafiğe çift tıklayın)</translation>
    </message>
    <message>
        <source>Zoomed: %1 – %2</source>
        <translation>Yakınlaştırıldı: %1 – %2</translation>
    </message>
    <message>
        <source>Reading %1 for this project</source>
        <translation>Bu proje için %1 okunuyor</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ProjectSettingsPanel</name>
    <message>
        <source>Model details</source>
        <translation>Model ayrıntıları</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Düzenle</translation>
    </message>
    <message>
        <source>Engine and model</source>
        <translation>Motor ve model</translation>
    </message>
    <message>
        <source>The KV memory, the recommendations and the score are computed from this.</source>
        <translation>KV belleği, öneriler ve skor bundan hesaplanır.</translation>
    </message>
    <message>
        <source>Engine and model saved; recommendations recomputed</source>
        <translation>Motor ve model kaydedildi; öneriler yeniden hesaplandı</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Kaynaklar</translation>
    </message>
    <message>
        <source>Servers CacheWise reads on a schedule instead of waiting for pushes.</source>
        <translation>CacheWise’ın gönderim beklemek yerine düzenli aralıklarla okuduğu sunucular.</translation>
    </message>
    <message>
        <source>Sources saved; the app reads them within seconds</source>
        <translation>Kaynaklar kaydedildi; uygulama onları saniyeler içinde okur</translation>
    </message>
    <message>
        <source>The API key could not be kept in the OS keychain, so nothing was changed: %1</source>
        <translation>API anahtarı işletim sisteminin anahtar zincirinde saklanamadı, bu yüzden hiçbir şey değiştirilmedi: %1</translation>
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
        <translation>Prova: kararları eylem kaydına yaz, hiçbir şeyi değiştirme</translation>
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
        <source>Hysteresis (percentage points)</source>
        <translation>Histerezis (yüzde puan)</translation>
    </message>
    <message>
        <source>After acting, wait until the value is this far below its limit before acting on a new crossing</source>
        <translation>Bir eylemden sonra, yeni bir aşımda harekete geçmeden önce değerin sınırın bu kadar altına inmesini bekle</translation>
    </message>
    <message>
        <source> s</source>
        <translation> sn</translation>
    </message>
    <message>
        <source>Cooldown</source>
        <translation>Bekleme süresi</translation>
    </message>
    <message>
        <source>At least this long between two actions of the same rule</source>
        <translation>Aynı kuralın iki eylemi arasında en az bu kadar süre</translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation>Webhook URL’si</translation>
    </message>
    <message>
        <source>Webhook signing secret</source>
        <translation>Webhook imza anahtarı</translation>
    </message>
    <message>
        <source>Each webhook carries X-CacheWise-Signature: sha256=HMAC-SHA256(secret, body)</source>
        <translation>Her webhook X-CacheWise-Signature: sha256=HMAC-SHA256(anahtar, gövde) başlığını taşır</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Oluştur</translation>
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
        <source>Push metrics from your program</source>
        <translation>Programınızdan metrik gönderin</translation>
    </message>
    <message>
        <source>Snippet copied to the clipboard</source>
        <translation>Kod parçası panoya kopyalandı</translation>
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
        <source>Hysteresis: enter a number from 0 to 50.</source>
        <translation>Histerezis: 0 ile 50 arasında bir sayı girin.</translation>
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
</context>
<context>
    <name>cachewise::ui::RecommendationCard</name>
    <message>
        <source>Estimated Memory Saving: %1 %</source>
        <translation>Tahmini Bellek Tasarrufu: %%1</translation>
    </message>
    <message>
        <source>Estimated Speed Increase: %1 %</source>
        <translation>Tahmini Hız Artışı: %%1</translation>
    </message>
    <message>
        <source>Observed:</source>
        <translation>Gözlenen:</translation>
    </message>
    <message>
        <source>Impact:</source>
        <translation>Etki:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Hız:</translation>
    </message>
    <message>
        <source>Quality risk:</source>
        <translation>Kalite riski:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Kaynak:</translation>
    </message>
    <message>
        <source>How to apply:</source>
        <translation>Nasıl uygulanır:</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Komut</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Copy command</source>
        <translation>Komutu kopyala</translation>
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
        <source>Generated %1</source>
        <translation>Oluşturuldu: %1</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Reddet</translation>
    </message>
    <message>
        <source>Applied %1</source>
        <translation>Uygulandı: %1</translation>
    </message>
    <message>
        <source>Mark as Applied…</source>
        <translation>Uygulandı Olarak İşaretle…</translation>
    </message>
    <message>
        <source>Copies the flags and records the change in the project&apos;s runtime. CacheWise does not restart your server: restart it with the flags.</source>
        <translation>Bayrakları kopyalar ve değişikliği projenin çalışma ortamına kaydeder. CacheWise sunucunuzu yeniden başlatmaz: sunucuyu bu bayraklarla yeniden başlatın.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Geri Al</translation>
    </message>
    <message>
        <source>Puts the project&apos;s runtime back as it was and makes the recommendation pending again.</source>
        <translation>Projenin çalışma ortamını eski haline getirir ve öneriyi yeniden beklemeye alır.</translation>
    </message>
    <message>
        <source>Makes the recommendation pending again.</source>
        <translation>Öneriyi yeniden beklemeye alır.</translation>
    </message>
    <message>
        <source>Runtime changed: %1</source>
        <translation>Çalışma ortamı değişti: %1</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::RecommendationsPanel</name>
    <message>
        <source>No recommendations available at this time.</source>
        <translation>Şu anda uygun öneri bulunmamaktadır.</translation>
    </message>
    <message>
        <source>%1 of %2 minutes of data collected: recommendations follow once there is enough.</source>
        <translation>%2 dakikalık verinin %1 dakikası toplandı: yeterli veri olunca öneriler gelecek.</translation>
    </message>
    <message>
        <source>Recomputed as data arrives, from the last 24 hours (%1 minutes of data).</source>
        <translation>Veri geldikçe son 24 saatten yeniden hesaplanır (%1 dakikalık veri).</translation>
    </message>
    <message>
        <source>Command copied to the clipboard</source>
        <translation>Komut panoya kopyalandı</translation>
    </message>
    <message>
        <source>Undone: the project&apos;s runtime is back as it was.</source>
        <translation>Geri alındı: projenin çalışma ortamı eski haline döndü.</translation>
    </message>
    <message>
        <source>Undone: the recommendation is pending again.</source>
        <translation>Geri alındı: öneri yeniden beklemede.</translation>
    </message>
    <message>
        <source>Marked as applied and the runtime updated. Restart your server with the copied flags.</source>
        <translation>Uygulandı olarak işaretlendi ve çalışma ortamı güncellendi. Sunucunuzu kopyalanan bayraklarla yeniden başlatın.</translation>
    </message>
    <message>
        <source>Marked as applied.</source>
        <translation>Uygulandı olarak işaretlendi.</translation>
    </message>
    <message>
        <source>llama-server is being restarted; wait until it is ready.</source>
        <translation>llama-server yeniden başlatılıyor; hazır olana kadar bekleyin.</translation>
    </message>
    <message>
        <source>Not applied to the server: %1</source>
        <translation>Sunucuya uygulanmadı: %1</translation>
    </message>
    <message>
        <source>Not reverted on the server: %1</source>
        <translation>Sunucuda geri alınmadı: %1</translation>
    </message>
    <message>
        <source>Reverted; llama-server runs with the previous flags. %1</source>
        <translation>Geri alındı; llama-server önceki bayraklarla çalışıyor. %1</translation>
    </message>
    <message>
        <source>Applied; llama-server runs with the new flags. %1</source>
        <translation>Uygulandı; llama-server yeni bayraklarla çalışıyor. %1</translation>
    </message>
    <message>
        <source>Reverted; llama-server was not running and starts with the previous flags next time.</source>
        <translation>Geri alındı; llama-server çalışmıyordu, bir dahaki sefere önceki bayraklarla başlar.</translation>
    </message>
    <message>
        <source>Applied; llama-server was not running and starts with the new flags next time.</source>
        <translation>Uygulandı; llama-server çalışmıyordu, bir dahaki sefere yeni bayraklarla başlar.</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>Değiştirilmedi: %1</translation>
    </message>
    <message>
        <source>Restarting llama-server with the previous flags…</source>
        <translation>llama-server önceki bayraklarla yeniden başlatılıyor…</translation>
    </message>
    <message>
        <source>Restarting llama-server with the new flags…</source>
        <translation>llama-server yeni bayraklarla yeniden başlatılıyor…</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ReportDocument</name>
    <message>
        <source>CacheWise report</source>
        <translation>CacheWise raporu</translation>
    </message>
    <message>
        <source>Generated %1</source>
        <translation>Oluşturuldu: %1</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Proje</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Mimari</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>not described</source>
        <translation>tanımlanmadı</translation>
    </message>
    <message>
        <source>There are no projects.</source>
        <translation>Hiç proje yok.</translation>
    </message>
    <message>
        <source>engine not described</source>
        <translation>motor tanımlanmadı</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>Temel göstergeler</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Metrik</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Ortalama</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>En yüksek</translation>
    </message>
    <message>
        <source>Against the range before</source>
        <translation>Önceki aralığa göre</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Grafikler</translation>
    </message>
    <message>
        <source>Optimization score</source>
        <translation>Optimizasyon skoru</translation>
    </message>
    <message>
        <source>%1 of 100</source>
        <translation>100 üzerinden %1</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Bileşen</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Ağırlık</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Değer</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>ölçülmedi</translation>
    </message>
    <message>
        <source>Not enough data for a score yet.</source>
        <translation>Skor için henüz yeterli veri yok.</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>Öneriler</translation>
    </message>
    <message>
        <source>None: nothing to change.</source>
        <translation>Yok: değiştirilecek bir şey yok.</translation>
    </message>
    <message>
        <source>Estimated memory saving: %1 %</source>
        <translation>Tahmini bellek tasarrufu: %%1</translation>
    </message>
    <message>
        <source>Estimated speed increase: %1 %</source>
        <translation>Tahmini hız artışı: %%1</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>uygulandı</translation>
    </message>
    <message>
        <source>Observed:</source>
        <translation>Gözlenen:</translation>
    </message>
    <message>
        <source>Impact:</source>
        <translation>Etki:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Hız:</translation>
    </message>
    <message>
        <source>Quality risk:</source>
        <translation>Kalite riski:</translation>
    </message>
    <message>
        <source>How to apply:</source>
        <translation>Nasıl uygulanır:</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Kaynak:</translation>
    </message>
    <message>
        <source>Action log</source>
        <translation>Eylem günlüğü</translation>
    </message>
    <message>
        <source>No automated actions in this range.</source>
        <translation>Bu aralıkta otomatik eylem yok.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Eylem</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Sonuç</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detaylar</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Kaynaklar</translation>
    </message>
    <message>
        <source>No servers are read for this project; its metrics are pushed.</source>
        <translation>Bu proje için sunucu okunmuyor; metrikleri gönderiliyor.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Last scrape</source>
        <translation>Son okuma</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>devre dışı</translation>
    </message>
    <message>
        <source>up</source>
        <translation>çalışıyor</translation>
    </message>
    <message>
        <source>down</source>
        <translation>erişilemiyor</translation>
    </message>
    <message>
        <source>not read yet</source>
        <translation>henüz okunmadı</translation>
    </message>
    <message>
        <source>never</source>
        <translation>hiç</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No samples from %1 to %2.</source>
        <translation>%1 ile %2 arasında örnek yok.</translation>
    </message>
    <message>
        <source>Data from %1 to %2</source>
        <translation>Veriler: %1 – %2</translation>
    </message>
    <message>
        <source>Period asked for: %1 to %2</source>
        <translation>İstenen dönem: %1 – %2</translation>
    </message>
    <message>
        <source>No samples in this range.</source>
        <translation>Bu aralıkta örnek yok.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::RuntimeEditor</name>
    <message>
        <source>Other</source>
        <translation>Diğer</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>Model architecture</source>
        <translation>Model mimarisi</translation>
    </message>
    <message>
        <source>From a GGUF file or config.json…</source>
        <translation>GGUF dosyasından veya config.json’dan…</translation>
    </message>
    <message>
        <source>%1 layers, %2 with a sliding window. Source: %3</source>
        <translation>%1 katman, %2 tanesi kayan pencereli. Kaynak: %3</translation>
    </message>
    <message>
        <source>Context (tokens)</source>
        <translation>Bağlam (token)</translation>
    </message>
    <message>
        <source>llama.cpp: -c, shared by all slots. Ollama: num_ctx per request. vLLM: --max-model-len.</source>
        <translation>llama.cpp: -c, tüm slotlar paylaşır. Ollama: istek başına num_ctx. vLLM: --max-model-len.</translation>
    </message>
    <message>
        <source>Parallel sequences</source>
        <translation>Paralel diziler</translation>
    </message>
    <message>
        <source>llama.cpp: -np. Ollama: OLLAMA_NUM_PARALLEL. vLLM: --max-num-seqs.</source>
        <translation>llama.cpp: -np. Ollama: OLLAMA_NUM_PARALLEL. vLLM: --max-num-seqs.</translation>
    </message>
    <message>
        <source>K cache type</source>
        <translation>K cache türü</translation>
    </message>
    <message>
        <source>V cache type</source>
        <translation>V cache türü</translation>
    </message>
    <message>
        <source>Unified KV cache (--kv-unified)</source>
        <translation>Birleşik KV cache (--kv-unified)</translation>
    </message>
    <message>
        <source>Full-size sliding-window cache (--swa-full)</source>
        <translation>Tam boy kayan pencere cache’i (--swa-full)</translation>
    </message>
    <message>
        <source>Flash attention on</source>
        <translation>Flash attention açık</translation>
    </message>
    <message>
        <source>Prefix caching on</source>
        <translation>Önek önbelleği açık</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU belleği</translation>
    </message>
    <message>
        <source>Save engine and model</source>
        <translation>Motoru ve modeli kaydet</translation>
    </message>
    <message>
        <source>Cache types</source>
        <translation>Cache türleri</translation>
    </message>
    <message>
        <source>%1 (from file)</source>
        <translation>%1 (dosyadan)</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>Model dosyası</translation>
    </message>
    <message>
        <source>Model files (*.gguf *.json);;All files (*)</source>
        <translation>Model dosyaları (*.gguf *.json);;Tüm dosyalar (*)</translation>
    </message>
    <message>
        <source>%1 cannot be used: %2</source>
        <translation>%1 kullanılamıyor: %2</translation>
    </message>
    <message>
        <source>A quantized V cache needs flash attention in llama.cpp and Ollama.</source>
        <translation>llama.cpp ve Ollama’da nicemlenmiş V cache flash attention gerektirir.</translation>
    </message>
    <message>
        <source>Not described yet: the values below are suggestions until you save them.</source>
        <translation>Henüz tanımlanmadı: aşağıdaki değerler siz kaydedene kadar yalnızca öneridir.</translation>
    </message>
    <message>
        <source>This engine takes one KV cache type for K and V: V follows K.</source>
        <translation>Bu motor K ve V için tek bir KV cache türü alır: V, K’yi izler.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SampleLogModel</name>
    <message>
        <source>Timestamp</source>
        <translation>Zaman Damgası</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ScorePanel</name>
    <message>
        <source>Optimization score</source>
        <translation>Optimizasyon skoru</translation>
    </message>
    <message>
        <source>Describe how this project runs its model (Settings → Engine and model) to get a score and recommendations.</source>
        <translation>Skor ve öneri almak için bu projenin modelini nasıl çalıştırdığını tanımlayın (Ayarlar → Motor ve model).</translation>
    </message>
    <message>
        <source>%1 / 100</source>
        <translation>%1 / 100</translation>
    </message>
    <message>
        <source>Each part is measured over the last 24 hours; parts without data are left out.</source>
        <translation>Her bölüm son 24 saatte ölçülür; verisi olmayan bölümler hesaba katılmaz.</translation>
    </message>
    <message>
        <source>Not enough data for a score yet.</source>
        <translation>Skor için henüz yeterli veri yok.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>ölçülmedi</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ServerApplyDialog</name>
    <message>
        <source>Revert on the Server</source>
        <translation>Sunucuda Geri Al</translation>
    </message>
    <message>
        <source>Apply to the Server</source>
        <translation>Sunucuya Uygula</translation>
    </message>
    <message>
        <source>CacheWise restarts the llama-server it launches with these flags and waits until it is ready. If it does not become ready, the previous flags and the previous server come back and the action log says why. The effect on the KV cache and memory is logged; speed is compared once as much traffic has passed as before.</source>
        <translation>CacheWise başlattığı llama-server’ı bu bayraklarla yeniden başlatır ve hazır olana kadar bekler. Hazır olmazsa önceki bayraklar ve önceki sunucu geri gelir, nedeni eylem günlüğüne yazılır. KV önbelleği ve bellek üzerindeki etki günlüğe kaydedilir; hız, öncekiyle aynı miktarda trafik geçtikten sonra karşılaştırılır.</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>Şu an:</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Şu an</translation>
    </message>
    <message>
        <source>After reverting:</source>
        <translation>Geri aldıktan sonra:</translation>
    </message>
    <message>
        <source>After applying:</source>
        <translation>Uyguladıktan sonra:</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sonra</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Restart with the Previous Flags</source>
        <translation>Önceki Bayraklarla Yeniden Başlat</translation>
    </message>
    <message>
        <source>Restart with the New Flags</source>
        <translation>Yeni Bayraklarla Yeniden Başlat</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ServerDialog</name>
    <message>
        <source>One cache shared by every slot (--kv-unified)</source>
        <translation>Tüm slotların paylaştığı tek önbellek (--kv-unified)</translation>
    </message>
    <message>
        <source>New llama-server</source>
        <translation>Yeni llama-server</translation>
    </message>
    <message>
        <source>Path to llama-server</source>
        <translation>llama-server’ın yolu</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Seç…</translation>
    </message>
    <message>
        <source>-c: the cells of every slot together</source>
        <translation>-c: tüm slotların hücreleri birlikte</translation>
    </message>
    <message>
        <source>-np: requests served at once</source>
        <translation>-np: aynı anda karşılanan istekler</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Otomatik</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Açık</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Kapalı</translation>
    </message>
    <message>
        <source>llama-server&apos;s default</source>
        <translation>llama-server’ın varsayılanı</translation>
    </message>
    <message>
        <source>A free port</source>
        <translation>Boş bir port</translation>
    </message>
    <message>
        <source>More arguments, as on a command line</source>
        <translation>Komut satırındaki gibi ek argümanlar</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Komut satırı</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Proje</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Executable</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Slots</source>
        <translation>Slotlar</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Bağlam</translation>
    </message>
    <message>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <source>V</source>
        <translation>V</translation>
    </message>
    <message>
        <source>Cache types</source>
        <translation>Önbellek türleri</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU katmanları</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>İş parçacıkları</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Extra arguments</source>
        <translation>Ek argümanlar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal</translation>
    </message>
    <message>
        <source>Add Server</source>
        <translation>Sunucu Ekle</translation>
    </message>
    <message>
        <source>Choose llama-server</source>
        <translation>llama-server Seçin</translation>
    </message>
    <message>
        <source>DATA/servers/ID/slots</source>
        <translation>VERİ/servers/KİMLİK/slots</translation>
    </message>
    <message>
        <source>PORT</source>
        <translation>PORT</translation>
    </message>
    <message>
        <source>Make a project first: a server is one of a project&apos;s sources.</source>
        <translation>Önce bir proje oluşturun: sunucu, bir projenin kaynaklarından biridir.</translation>
    </message>
    <message>
        <source>No model in the library: add a folder with .gguf files and scan it.</source>
        <translation>Kütüphanede model yok: .gguf dosyaları olan bir klasör ekleyip tarayın.</translation>
    </message>
    <message>
        <source>No llama-server found on PATH or in the usual build folders: choose one.</source>
        <translation>PATH’te ya da bilinen derleme klasörlerinde llama-server bulunamadı: birini seçin.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::ServersPage</name>
    <message>
        <source>Stopped</source>
        <translation>Durduruldu</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Başlatılıyor</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>Model yükleniyor</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Hazır</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Durduruluyor</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>Çöktü</translation>
    </message>
    <message>
        <source>Given up</source>
        <translation>Vazgeçildi</translation>
    </message>
    <message>
        <source>Models &amp; Servers</source>
        <translation>Modeller ve Sunucular</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Sunucular</translation>
    </message>
    <message>
        <source>Model Library</source>
        <translation>Model Kütüphanesi</translation>
    </message>
    <message>
        <source>Event Log</source>
        <translation>Olay Günlüğü</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>eksik: %1</translation>
    </message>
    <message>
        <source>Server added on port %1; start it with Start.</source>
        <translation>Sunucu %1 portunda eklendi; Başlat ile başlatın.</translation>
    </message>
    <message>
        <source>Not added: %1</source>
        <translation>Eklenmedi: %1</translation>
    </message>
    <message>
        <source>Server removed; its project keeps its data.</source>
        <translation>Sunucu kaldırıldı; projesi verilerini korur.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Hata: %1</translation>
    </message>
    <message>
        <source>New Server…</source>
        <translation>Yeni Sunucu…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Başlat</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Durdur</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Yeniden Başlat</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Kaldır</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Projeyi Aç</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Proje</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Bellek</translation>
    </message>
    <message>
        <source>llama-servers CacheWise launches</source>
        <translation>CacheWise’ın başlattığı llama-server’lar</translation>
    </message>
    <message>
        <source>No llama-server yet. New Server… launches one for a project with the KV flags you choose; CacheWise keeps it running, reads its log and its metrics.</source>
        <translation>Henüz llama-server yok. Yeni Sunucu… seçtiğiniz KV bayraklarıyla bir proje için bir tane başlatır; CacheWise onu çalışır tutar, günlüğünü ve metriklerini okur.</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Komut satırı</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV önbelleği</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Süreç</translation>
    </message>
    <message>
        <source>llama-server log</source>
        <translation>llama-server günlüğü</translation>
    </message>
    <message>
        <source>Starting llama-server…</source>
        <translation>llama-server başlatılıyor…</translation>
    </message>
    <message>
        <source>Stopping llama-server…</source>
        <translation>llama-server durduruluyor…</translation>
    </message>
    <message>
        <source>Restarting llama-server…</source>
        <translation>llama-server yeniden başlatılıyor…</translation>
    </message>
    <message>
        <source>Remove Server</source>
        <translation>Sunucuyu Kaldır</translation>
    </message>
    <message>
        <source>Remove the llama-server of %1 (%2)? Its profile and source go; the project keeps its data.</source>
        <translation>%1 projesinin llama-server’ı (%2) kaldırılsın mı? Profili ve kaynağı silinir; proje verilerini korur.</translation>
    </message>
    <message>
        <source>Command copied to the clipboard</source>
        <translation>Komut panoya kopyalandı</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Tara</translation>
    </message>
    <message>
        <source>Reads the headers of new and changed .gguf files in the folders</source>
        <translation>Klasörlerdeki yeni ve değişmiş .gguf dosyalarının başlıklarını okur</translation>
    </message>
    <message>
        <source>Add Folder…</source>
        <translation>Klasör Ekle…</translation>
    </message>
    <message>
        <source>Context for the KV column</source>
        <translation>KV sütunu için bağlam</translation>
    </message>
    <message>
        <source>Slots for the KV column</source>
        <translation>KV sütunu için slotlar</translation>
    </message>
    <message>
        <source>Cache type for the KV column</source>
        <translation>KV sütunu için önbellek türü</translation>
    </message>
    <message>
        <source>KV cache at</source>
        <translation>KV önbelleği:</translation>
    </message>
    <message>
        <source>tokens,</source>
        <translation>token,</translation>
    </message>
    <message>
        <source>slots,</source>
        <translation>slot,</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Mimari</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parametreler</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Nicemleme</translation>
    </message>
    <message>
        <source>Trained context</source>
        <translation>Eğitim bağlamı</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Katmanlar</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV başları</translation>
    </message>
    <message>
        <source>Head size</source>
        <translation>Baş boyutu</translation>
    </message>
    <message>
        <source>KV per token</source>
        <translation>Token başına KV</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>Dosya boyutu</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Sorun</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>Model kütüphanesi</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Taranıyor…</translation>
    </message>
    <message>
        <source>Add a Model Folder</source>
        <translation>Model Klasörü Ekle</translation>
    </message>
    <message>
        <source>What CacheWise itself logged since it started: the listener, sources, rules, servers and storage (the last %1 lines).</source>
        <translation>CacheWise’ın başladığından beri kendi yazdığı günlük: dinleyici, kaynaklar, kurallar, sunucular ve depolama (son %1 satır).</translation>
    </message>
    <message>
        <source>CacheWise event log</source>
        <translation>CacheWise olay günlüğü</translation>
    </message>
    <message>
        <source>Share of one CPU core</source>
        <translation>Bir CPU çekirdeğinin payı</translation>
    </message>
    <message>
        <source>Resident memory</source>
        <translation>Yerleşik bellek</translation>
    </message>
    <message>
        <source>No model folder yet: Add Folder… chooses one.</source>
        <translation>Henüz model klasörü yok: Klasör Ekle… ile birini seçin.</translation>
    </message>
    <message>
        <source>Folders: %1</source>
        <translation>Klasörler: %1</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 milyar</translation>
    </message>
    <message>
        <source>K and V of one token in every layer, at f16</source>
        <translation>Bir tokenın tüm katmanlardaki K ve V’si, f16 olarak</translation>
    </message>
    <message>
        <source>What llama-server allocates at -c %1 -np %2 with %3 K and V</source>
        <translation>llama-server’ın -c %1 -np %2 ile, %3 K ve V için ayırdığı</translation>
    </message>
    <message>
        <source>%1 since %2</source>
        <translation>%1 (%2 itibarıyla)</translation>
    </message>
    <message>
        <source>they differ by %1 MiB</source>
        <translation>aralarında %1 MiB fark var</translation>
    </message>
    <message>
        <source>they agree</source>
        <translation>birbirini tutuyor</translation>
    </message>
    <message>
        <source>Not logged yet: llama-server logs its allocation while it loads the model.</source>
        <translation>Henüz günlükte yok: llama-server ayırdığı alanı modeli yüklerken yazar.</translation>
    </message>
    <message>
        <source>Logged by llama-server: %1 (the model cannot be read to compare)</source>
        <translation>llama-server’ın günlüğü: %1 (karşılaştırmak için model okunamıyor)</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>Çalışmıyor</translation>
    </message>
    <message>
        <source>PID %1; the first readings come within ten seconds</source>
        <translation>PID %1; ilk ölçümler on saniye içinde gelir</translation>
    </message>
    <message>
        <source>PID %1 · CPU %2 % of one core · resident memory %3 · %4</source>
        <translation>PID %1 · CPU bir çekirdeğin %%2’si · yerleşik bellek %3 · %4</translation>
    </message>
    <message>
        <source>GPU memory %1</source>
        <translation>GPU belleği %1</translation>
    </message>
    <message>
        <source>no NVIDIA GPU to read</source>
        <translation>okunacak NVIDIA GPU yok</translation>
    </message>
    <message>
        <source>Stop the server first</source>
        <translation>Önce sunucuyu durdurun</translation>
    </message>
    <message>
        <source>Models found: %1 · headers read: %2</source>
        <translation>Bulunan model: %1 · okunan başlık: %2</translation>
    </message>
    <message>
        <source>files that cannot be read: %1</source>
        <translation>okunamayan dosya: %1</translation>
    </message>
    <message>
        <source>%1 MiB (K %2 %3 MiB, V %4 %5 MiB; %6 cells, %7 layers)</source>
        <translation>%1 MiB (K %2 %3 MiB, V %4 %5 MiB; %6 hücre, %7 katman)</translation>
    </message>
    <message>
        <source>Logged by llama-server: %1
Computed by CacheWise: %2 — %3</source>
        <translation>llama-server’ın günlüğü: %1
CacheWise’ın hesabı: %2 — %3</translation>
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
    <message>
        <source>OpenTelemetry</source>
        <translation>OpenTelemetry</translation>
    </message>
    <message>
        <source>Programs send OTLP/HTTP (JSON or protobuf) to the listener&apos;s /v1/metrics. Well-known metric names are read without setting anything up; map your own names here, or map a well-known one to &quot;Ignore&quot;.</source>
        <translation>Programlar OTLP/HTTP (JSON veya protobuf) verilerini dinleyicinin /v1/metrics adresine gönderir. Bilinen metrik adları hiçbir ayar yapmadan okunur; kendi adlarınızı burada eşleyin ya da bilinen bir adı &quot;Yok say&quot; olarak eşleyin.</translation>
    </message>
    <message>
        <source>Project from resource attribute</source>
        <translation>Projeyi belirleyen kaynak özniteliği</translation>
    </message>
    <message>
        <source>A program that sends without a project&apos;s key lands in the project named by this resource attribute&apos;s value</source>
        <translation>Proje anahtarı olmadan gönderen bir program, bu kaynak özniteliğinin değeriyle adlandırılan projeye düşer</translation>
    </message>
    <message>
        <source>Your OpenTelemetry metric names</source>
        <translation>OpenTelemetry metrik adlarınız</translation>
    </message>
    <message>
        <source>Metric name</source>
        <translation>Metrik adı</translation>
    </message>
    <message>
        <source>Read as</source>
        <translation>Okunduğu alan</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Eşle</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Kaldır</translation>
    </message>
    <message>
        <source>as</source>
        <translation>→</translation>
    </message>
    <message>
        <source>%1 is read as %2 from now on</source>
        <translation>%1 bundan sonra %2 olarak okunur</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Yok say</translation>
    </message>
    <message>
        <source>KV cache usage (0 to 1)</source>
        <translation>KV önbellek kullanımı (0–1)</translation>
    </message>
    <message>
        <source>KV cache size (bytes)</source>
        <translation>KV önbellek boyutu (bayt)</translation>
    </message>
    <message>
        <source>KV cache size (KiB)</source>
        <translation>KV önbellek boyutu (KiB)</translation>
    </message>
    <message>
        <source>KV cache capacity (bytes)</source>
        <translation>KV önbellek kapasitesi (bayt)</translation>
    </message>
    <message>
        <source>Memory (bytes)</source>
        <translation>Bellek (bayt)</translation>
    </message>
    <message>
        <source>Requests running</source>
        <translation>Çalışan istekler</translation>
    </message>
    <message>
        <source>Requests waiting</source>
        <translation>Bekleyen istekler</translation>
    </message>
    <message>
        <source>Prefix-cache hit rate (0 to 1)</source>
        <translation>Önek önbelleği isabet oranı (0–1)</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokenlar</translation>
    </message>
    <message>
        <source>Preemptions</source>
        <translation>Önalımlar</translation>
    </message>
    <message>
        <source>Request duration</source>
        <translation>İstek süresi</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>İlk token süresi</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Kaydedilmedi: %1</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SkeletonView</name>
    <message>
        <source>Fetching data...</source>
        <translation>Veri yükleniyor...</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SlotsTable</name>
    <message>
        <source>Slots (llama-server, last scrape)</source>
        <translation>Slotlar (llama-server, son okuma)</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>Slot</translation>
    </message>
    <message>
        <source>Tokens in cache</source>
        <translation>Cache’teki tokenlar</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Kullanım</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Etkinlik</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>İşleniyor</translation>
    </message>
    <message>
        <source>Idle for %1 s</source>
        <translation>%1 sn boşta</translation>
    </message>
    <message>
        <source>%1 of %2 shared</source>
        <translation>paylaşılan %2’nin %1’i</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SourceNotices</name>
    <message>
        <source>llama-server has %1 slots of %2 tokens each. Its API does not say whether they share one cache of %2 tokens (unified, its default when started without -np) or each have their own (%1 × %2 tokens). KV capacity and usage are left out until you say which.</source>
        <translation>llama-server’ın her biri %2 tokenlık %1 slotu var. API’si bunların %2 tokenlık tek bir cache’i mi paylaştığını (birleşik; -np olmadan başlatıldığında varsayılan) yoksa her birinin kendi cache’i mi olduğunu (%1 × %2 token) söylemiyor. Hangisi olduğunu söyleyene kadar KV kapasitesi ve kullanımı kaydedilmez.</translation>
    </message>
    <message>
        <source>Slot %1 holds %2 tokens, more than the %3 one slot of the described runtime can hold: the cache is unified or larger than described.</source>
        <translation>Slot %1 %2 token tutuyor; tanımlanan yapılandırmada bir slotun tutabileceği %3 tokendan fazla: cache birleşik ya da tanımlanandan büyük.</translation>
    </message>
    <message>
        <source>The slots hold %1 tokens together, more than one shared cache of %2 could: each slot has a cache of its own.</source>
        <translation>Slotlar birlikte %1 token tutuyor; %2 tokenlık paylaşılan tek bir cache bunu tutamazdı: her slotun kendi cache’i var.</translation>
    </message>
    <message>
        <source>The server restarted (seen %1). If it was started with other flags, update Engine and model.</source>
        <translation>Sunucu yeniden başladı (%1). Başka bayraklarla başlatıldıysa Motor ve model’i güncelleyin.</translation>
    </message>
    <message>
        <source>The server restarted (seen %1) with changes: %2. Update Engine and model.</source>
        <translation>Sunucu değişikliklerle yeniden başladı (%1): %2. Motor ve model’i güncelleyin.</translation>
    </message>
    <message>
        <source>llama-server refused to erase a slot (HTTP 501, %1): start it with --slot-save-path DIR so CacheWise can free idle slots. Until it restarts, the cache rule only alerts.</source>
        <translation>llama-server bir slotu silmeyi reddetti (HTTP 501, %1): CacheWise’ın boştaki slotları boşaltabilmesi için --slot-save-path DIZIN ile başlatın. Yeniden başlayana kadar cache kuralı yalnızca uyarır.</translation>
    </message>
    <message>
        <source>The server reports its KV cache as %1; the project&apos;s engine and model say %2.</source>
        <translation>Sunucu KV cache’ini %1 olarak bildiriyor; projenin motor ve modeli %2 diyor.</translation>
    </message>
    <message>
        <source>One shared cache</source>
        <translation>Paylaşılan tek cache</translation>
    </message>
    <message>
        <source>Started without -np, or with --kv-unified</source>
        <translation>-np olmadan ya da --kv-unified ile başlatıldı</translation>
    </message>
    <message>
        <source>A cache per slot</source>
        <translation>Slot başına bir cache</translation>
    </message>
    <message>
        <source>Started with -np and without --kv-unified</source>
        <translation>-np ile ve --kv-unified olmadan başlatıldı</translation>
    </message>
    <message>
        <source>Runtime still holds</source>
        <translation>Yapılandırma hâlâ geçerli</translation>
    </message>
    <message>
        <source>The server reports %1 × %2 tokens (slots × context of each), but the project&apos;s engine and model (%3) describe %4 × %5. Update Engine and model on the Settings tab.</source>
        <translation>Sunucu %1 × %2 token bildiriyor (slot × her birinin bağlamı), ama projenin motor ve modeli (%3) %4 × %5 tanımlıyor. Ayarlar sekmesinde Motor ve model’i güncelleyin.</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::SourcesPanel</name>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Scrape interval</source>
        <translation>Okuma aralığı</translation>
    </message>
    <message>
        <source>Add source</source>
        <translation>Kaynak ekle</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Last scrape</source>
        <translation>Son okuma</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Gecikme</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>Aralık</translation>
    </message>
    <message>
        <source>Enable / Disable</source>
        <translation>Etkinleştir / Devre dışı bırak</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Kaldır</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Devre dışı</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Çalışıyor</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Erişilemiyor</translation>
    </message>
    <message>
        <source>Waiting for the first scrape</source>
        <translation>İlk okuma bekleniyor</translation>
    </message>
    <message>
        <source>never</source>
        <translation>hiç</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Sunucu adresi</translation>
    </message>
    <message>
        <source>at</source>
        <translation>adresi</translation>
    </message>
    <message>
        <source>Find servers on this machine</source>
        <translation>Bu makinedeki sunucuları bul</translation>
    </message>
    <message>
        <source>Looking on the usual ports…</source>
        <translation>Bilinen portlara bakılıyor…</translation>
    </message>
    <message>
        <source>No inference server answers on the usual local ports.</source>
        <translation>Bilinen yerel portlarda yanıt veren çıkarım sunucusu yok.</translation>
    </message>
    <message>
        <source>Found: %1. The first is filled in; press Add source.</source>
        <translation>Bulunan: %1. İlki forma yazıldı; Kaynak ekle’ye basın.</translation>
    </message>
    <message>
        <source>API key (optional)</source>
        <translation>API anahtarı (isteğe bağlı)</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>Sent as &quot;Authorization: Bearer&quot;; kept in the OS keychain, never in the database</source>
        <translation>&quot;Authorization: Bearer&quot; olarak gönderilir; veritabanında değil, işletim sisteminin anahtar zincirinde saklanır</translation>
    </message>
    <message>
        <source>API key…</source>
        <translation>API anahtarı…</translation>
    </message>
    <message>
        <source>The key this server wants (kept in the OS keychain). Leave it empty to remove the source&apos;s key.</source>
        <translation>Bu sunucunun istediği anahtar (işletim sisteminin anahtar zincirinde saklanır). Kaynağın anahtarını kaldırmak için boş bırakın.</translation>
    </message>
    <message>
        <source>In the keychain</source>
        <translation>Anahtar zincirinde</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Yok</translation>
    </message>
    <message>
        <source>%1 %2 (needs an API key)</source>
        <translation>%1 %2 (API anahtarı gerekiyor)</translation>
    </message>
    <message>
        <source>%1 %2 (no metrics endpoint: push from your code)</source>
        <translation>%1 %2 (metrik uç noktası yok: kodunuzdan gönderin)</translation>
    </message>
    <message>
        <source>Found: %1.</source>
        <translation>Bulunan: %1.</translation>
    </message>
    <message>
        <source>Launch a llama-server…</source>
        <translation>Bir llama-server başlat…</translation>
    </message>
    <message>
        <source>CacheWise starts llama-server with a model of your library and keeps it running</source>
        <translation>CacheWise kütüphanenizdeki bir modelle llama-server’ı başlatır ve çalışır tutar</translation>
    </message>
</context>
<context>
    <name>cachewise::ui::WhatIfPanel</name>
    <message>
        <source>Describe how this project runs its model (Settings → Engine and model) to try other cache settings.</source>
        <translation>Başka cache ayarlarını denemek için bu projenin modelini nasıl çalıştırdığını tanımlayın (Ayarlar → Motor ve model).</translation>
    </message>
    <message>
        <source>Context (tokens)</source>
        <translation>Bağlam (token)</translation>
    </message>
    <message>
        <source>Parallel sequences</source>
        <translation>Paralel diziler</translation>
    </message>
    <message>
        <source>Memory budget for the KV cache</source>
        <translation>KV cache için bellek bütçesi</translation>
    </message>
    <message>
        <source>Cache types</source>
        <translation>Cache türleri</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Şimdi</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>Ya olursa</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Fark</translation>
    </message>
    <message>
        <source>KV cache memory</source>
        <translation>KV cache belleği</translation>
    </message>
    <message>
        <source>Bytes per token</source>
        <translation>Token başına bayt</translation>
    </message>
    <message>
        <source>Context per sequence</source>
        <translation>Dizi başına bağlam</translation>
    </message>
    <message>
        <source>Sequences that fit in the budget</source>
        <translation>Bütçeye sığan diziler</translation>
    </message>
    <message>
        <source>A quantized V cache needs flash attention (-fa on, OLLAMA_FLASH_ATTENTION=1).</source>
        <translation>Nicemlenmiş V cache flash attention gerektirir (-fa on, OLLAMA_FLASH_ATTENTION=1).</translation>
    </message>
    <message>
        <source>Sequences that fit: each holding its full context per sequence.</source>
        <translation>Sığan diziler: her biri dizi başına tam bağlamını tutarak.</translation>
    </message>
</context>
</TS>
