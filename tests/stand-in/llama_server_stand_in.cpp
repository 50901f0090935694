// SPDX-License-Identifier: GPL-3.0-or-later
// cachewise-test-llama-server: what the lifecycle tests launch in place of llama-server, which cannot be
// installed here. It takes llama-server's flags, refuses what llama-server refuses (a quantized V cache
// without flash attention, a quantized cache whose block does not divide the head size, a model it cannot
// read, a port in use, an unknown flag), writes its standard error as the captured llama-server logs do
// (tests/data/llama-server: the startup of f16-npauto-kvu/server.log at -lv 4, logs/default-verbosity-
// stderr.log below that), with the model, the port, the slots and its own KV allocation line put in;
// answers /health with 503 while "loading" and 200 after, and /props, /slots and /metrics shaped like the
// captures for its flags. The KV line is computed here from the header, the way llama.cpp sizes the cache
// (cells padded to 256 per stream, rows of n_head_kv × head size in the cache type's blocks), not with
// CacheWise's own code. Test controls (never a llama-server flag): CACHEWISE_STAND_IN_LOAD_MS (loading
// time, default 300), CACHEWISE_STAND_IN_EXIT_AFTER_MS (aborts then: a crash), CACHEWISE_STAND_IN_IGNORE_TERM
// (SIGTERM ignored: only SIGKILL stops it), CACHEWISE_STAND_IN_REFUSE_FLAG (a flag it fails to load with,
// as llama-server fails on flags its build or hardware cannot take), POST /stand-in/crash (aborts at once).
#include "core/analysis/gguf.h"
#include "tests/support/replayserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace cachewise;

namespace {

QElapsedTimer g_clock;

// llama.cpp's log prefix: minutes.seconds.milliseconds.microseconds since start, then the level letter.
void log(char level, const QByteArray &text)
{
    const qint64 us = g_clock.nsecsElapsed() / 1000;
    std::fprintf(stderr, "%lld.%02lld.%03lld.%03lld %c %s\n", static_cast<long long>(us / 60'000'000),
                 static_cast<long long>(us / 1'000'000 % 60), static_cast<long long>(us / 1000 % 1000),
                 static_cast<long long>(us % 1000), level, text.constData());
    std::fflush(stderr);
}

[[noreturn]] void fail(const QByteArray &text)
{
    log('E', text);
    std::exit(1);
}

struct CacheType
{
    const char *name;
    int block;
    int bytes;
};
const CacheType kTypes[] = {{"f32", 1, 4},      {"f16", 1, 2},    {"bf16", 1, 2},
                            {"q8_0", 32, 34},   {"q4_0", 32, 18}, {"q4_1", 32, 20},
                            {"iq4_nl", 32, 18}, {"q5_0", 32, 22}, {"q5_1", 32, 24}};

const CacheType *cacheType(const QByteArray &name)
{
    for (const CacheType &t : kTypes) {
        if (name == t.name)
            return &t;
    }
    return nullptr;
}

struct Flags
{
    QByteArray model;
    QByteArray host = "127.0.0.1";
    int port = 8080;
    bool metrics = false;
    bool slots = true;
    QByteArray slotSavePath;
    int verbosity = 3;
    qint64 context = 4096;
    int parallel = -1; // auto
    bool unified = false;
    bool unifiedGiven = false;
    QByteArray typeK = "f16";
    QByteArray typeV = "f16";
    QByteArray flashAttention = "auto";
};

Flags parseFlags(const QStringList &args)
{
    Flags f;
    const QSet<QString> valueless{QStringLiteral("--mlock"), QStringLiteral("--no-mmap"),
                                  QStringLiteral("--jinja"), QStringLiteral("--no-warmup"),
                                  QStringLiteral("--cont-batching")};
    const QSet<QString> ignoredWithValue{
        QStringLiteral("-ngl"), QStringLiteral("--gpu-layers"), QStringLiteral("--n-gpu-layers"),
        QStringLiteral("-t"),   QStringLiteral("--threads"),    QStringLiteral("--alias"),
        QStringLiteral("-b"),   QStringLiteral("-ub")};
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        const auto value = [&]() -> QByteArray {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "error: expected value for argument: %s\n", qPrintable(a));
                std::exit(1);
            }
            return args.at(++i).toUtf8();
        };
        if (a == QLatin1String("-m") || a == QLatin1String("--model"))
            f.model = value();
        else if (a == QLatin1String("--host"))
            f.host = value();
        else if (a == QLatin1String("--port"))
            f.port = value().toInt();
        else if (a == QLatin1String("--metrics"))
            f.metrics = true;
        else if (a == QLatin1String("--slots"))
            f.slots = true;
        else if (a == QLatin1String("--no-slots"))
            f.slots = false;
        else if (a == QLatin1String("--slot-save-path"))
            f.slotSavePath = value();
        else if (a == QLatin1String("-lv") || a == QLatin1String("--verbosity"))
            f.verbosity = value().toInt();
        else if (a == QLatin1String("-c") || a == QLatin1String("--ctx-size"))
            f.context = value().toLongLong();
        else if (a == QLatin1String("-np") || a == QLatin1String("--parallel"))
            f.parallel = value().toInt();
        else if (a == QLatin1String("-kvu") || a == QLatin1String("--kv-unified"))
            f.unified = f.unifiedGiven = true;
        else if (a == QLatin1String("-ctk") || a == QLatin1String("--cache-type-k"))
            f.typeK = value();
        else if (a == QLatin1String("-ctv") || a == QLatin1String("--cache-type-v"))
            f.typeV = value();
        else if (a == QLatin1String("-fa") || a == QLatin1String("--flash-attn"))
            f.flashAttention = value();
        else if (ignoredWithValue.contains(a))
            value();
        else if (!valueless.contains(a)) {
            std::fprintf(stderr, "error: invalid argument: %s\n", qPrintable(a));
            std::exit(1);
        }
    }
    for (const QByteArray &t : {f.typeK, f.typeV}) {
        if (!cacheType(t)) {
            std::fprintf(stderr, "error while handling argument \"-ctk\": Unsupported cache type: %s\n",
                         t.constData());
            std::exit(1);
        }
    }
    return f;
}

qint64 pad(qint64 n, qint64 to)
{
    return (n + to - 1) / to * to;
}

// "%7.2f" as llama.cpp prints it (printf rounds a half to even: 2.125 is "2.12").
QByteArray mib(qint64 bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%7.2f", double(bytes) / 1048576.0);
    return QByteArray(text);
}

} // namespace

int main(int argc, char **argv)
{
    g_clock.start();
    QCoreApplication app(argc, argv);
    Flags f = parseFlags(app.arguments());
    if (const QString refused = qEnvironmentVariable("CACHEWISE_STAND_IN_REFUSE_FLAG");
        !refused.isEmpty() && app.arguments().contains(refused)) {
        log('E', "llama_init_from_model: failed to initialize the context with " + refused.toUtf8());
        fail("srv    load_model: failed to load model, '" + f.model + "'");
    }
    if (f.model.isEmpty())
        fail("srv  llama_server: no model given (-m)");

    // The header, as llama_model_loader reads it.
    const Result<analysis::GgufHeader> header = analysis::readGgufHeader(QString::fromUtf8(f.model));
    if (!header) {
        log('E',
            "gguf_init_from_file_impl: failed to read the model header: " + header.errorMessage().toUtf8());
        fail("srv    load_model: failed to load model, '" + f.model + "'");
    }
    const QString arch = header->values.value(QStringLiteral("general.architecture")).toString();
    const auto key = [&](const char *name) {
        return header->values.value(arch + QLatin1Char('.') + QLatin1String(name)).toLongLong();
    };
    const qint64 layers = key("block_count");
    const qint64 heads = key("attention.head_count");
    const qint64 kvHeads = key("attention.head_count_kv") > 0 ? key("attention.head_count_kv") : heads;
    const qint64 headSize = key("attention.key_length") > 0
                                ? key("attention.key_length")
                                : (heads > 0 ? key("embedding_length") / heads : 0);
    if (layers <= 0 || kvHeads <= 0 || headSize <= 0)
        fail("srv    load_model: failed to load model, '" + f.model + "'");

    // What llama_init_from_model refuses.
    const CacheType *k = cacheType(f.typeK);
    const CacheType *v = cacheType(f.typeV);
    const bool autoParallel = f.parallel < 0;
    if (autoParallel) {
        f.parallel = 4; // "n_parallel is set to auto, using n_parallel = 4 and kv_unified = true"
        if (!f.unifiedGiven)
            f.unified = true;
    }
    if (v->block > 1 && f.flashAttention == "off") {
        log('E', "llama_init_from_model: V cache quantization requires flash_attn");
        fail("srv    load_model: failed to load model, '" + f.model + "'");
    }
    for (const auto &[type, which] : {std::pair{k, "K"}, std::pair{v, "V"}}) {
        if (type->block > 1 && headSize % type->block != 0) {
            log('E', QByteArray("llama_init_from_model: ") + which + " cache type " + type->name +
                         " with block size " + QByteArray::number(type->block) +
                         " does not divide n_embd_head_" + QByteArray(which).toLower() + "=" +
                         QByteArray::number(headSize));
            fail("srv    load_model: failed to load model, '" + f.model + "'");
        }
    }

    // llama.cpp's cache: one stream of n_ctx cells when unified, else a stream per slot of n_ctx / slots,
    // each padded to 256 cells.
    const qint64 streams = f.unified ? 1 : f.parallel;
    const qint64 cells =
        f.unified ? pad(f.context, 256) : pad((f.context + f.parallel - 1) / f.parallel, 256);
    const qint64 row = kvHeads * headSize;
    const qint64 kBytes = streams * cells * layers * row / k->block * k->bytes;
    const qint64 vBytes = streams * cells * layers * row / v->block * v->bytes;
    const qint64 perSlot = f.unified ? f.context : f.context / f.parallel;
    const QByteArray kvLine = "llama_kv_cache: size = " + mib(kBytes + vBytes) + " MiB (" +
                              QByteArray::number(cells).rightJustified(6, ' ') + " cells, " +
                              QByteArray::number(layers).rightJustified(3, ' ') + " layers, " +
                              QByteArray::number(f.parallel).rightJustified(2, ' ') + "/" +
                              QByteArray::number(streams) + " seqs), K (" + k->name + "): " + mib(kBytes) +
                              " MiB, V (" + v->name + "): " + mib(vBytes) + " MiB";

    // Bound before loading, as llama-server's "binding port" comes before "loading model".
    test::ReplayServer http;
    if (!http.listen(quint16(f.port)))
        fail("srv  llama_server: couldn't bind HTTP server socket, hostname: " + f.host +
             ", port: " + QByteArray::number(f.port));

    // The startup the captures show, with this run's facts.
    const bool verbose = f.verbosity >= 4;
    const QByteArray capture =
        test::testData(verbose ? QStringLiteral("llama-server/f16-npauto-kvu/server.log")
                               : QStringLiteral("llama-server/logs/default-verbosity-stderr.log"));
    QList<QByteArray> startup;
    QList<QByteArray> afterLoad;
    bool loaded = false;
    for (const QByteArray &raw : capture.split('\n')) {
        if (raw.size() < 15 || raw.at(12) != ' ' || raw.at(14) != ' ')
            continue; // continuation lines of a multi-line message
        QByteArray text = raw.mid(13);
        if (text.contains("cleaning up before exit") || text.contains("update_slots") ||
            text.contains("get_availabl"))
            break;
        const QByteArray quoted = QByteArray("'" + f.model + "'");
        text.replace("'./tiny.gguf'", quoted).replace("from ./tiny.gguf", QByteArray("from " + f.model));
        text.replace("'tiny.gguf'", quoted);
        if (text.contains("n_parallel is set to auto") && !autoParallel)
            continue;
        text.replace("n_embd_head_k_all = 64",
                     QByteArray("n_embd_head_k_all = " + QByteArray::number(headSize)));
        if (text.contains("llama_kv_cache: size ="))
            text = "I " + kvLine;
        if (text.contains("load_model: initializing, n_slots"))
            text = "I srv    load_model: initializing, n_slots = " + QByteArray::number(f.parallel) +
                   ", n_ctx_slot = " + QByteArray::number(perSlot) + ", kv_unified = '" +
                   (f.unified ? "true" : "false") + "'";
        if (text.contains("slot   load_model: id  0 |")) {
            for (int i = 0; i < f.parallel; ++i)
                startup << "I slot   load_model: id " + QByteArray::number(i).rightJustified(2, ' ') +
                               " | task -1 | new slot, n_ctx = " + QByteArray::number(perSlot);
            continue;
        }
        if (text.contains("slot   load_model: id "))
            continue;
        if (text.contains("listening on http://"))
            text = "I srv  llama_server: listening on http://" + f.host + ":" + QByteArray::number(f.port);
        (loaded ? afterLoad : startup) << text;
        if (text.contains("llama_server: model loaded"))
            loaded = true;
    }

    // While loading: 503, as llama-server answers.
    http.serve("/health", 503,
               R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})");
    const int loadMs = qEnvironmentVariableIsSet("CACHEWISE_STAND_IN_LOAD_MS")
                           ? qEnvironmentVariableIntValue("CACHEWISE_STAND_IN_LOAD_MS")
                           : 300;
    qsizetype printed = 0;
    // The lines before the model is loaded come out across the loading time.
    QTimer progress;
    progress.setInterval(std::max(1, loadMs / std::max<int>(1, int(startup.size()))));
    QObject::connect(&progress, &QTimer::timeout, &app, [&] {
        if (printed < startup.size()) {
            const QByteArray &line = startup.at(printed++);
            log(line.at(0), line.mid(2));
        }
    });
    progress.start();

    QTimer::singleShot(loadMs, &app, [&] {
        progress.stop();
        while (printed < startup.size()) {
            const QByteArray &line = startup.at(printed++);
            log(line.at(0), line.mid(2));
        }
        for (const QByteArray &line : afterLoad)
            log(line.at(0), line.mid(2));
        http.serve("/health", 200, R"({"status":"ok"})");
        // /props and /slots as the captures, for these flags.
        QJsonObject props =
            QJsonDocument::fromJson(test::testData(QStringLiteral("llama-server/f16-npauto-kvu/props.json")))
                .object();
        props[QStringLiteral("total_slots")] = f.parallel;
        QJsonObject settings = props.value(QLatin1String("default_generation_settings")).toObject();
        settings[QStringLiteral("n_ctx")] = double(perSlot);
        props[QStringLiteral("default_generation_settings")] = settings;
        props[QStringLiteral("model_path")] = QString::fromUtf8(f.model);
        props[QStringLiteral("model_alias")] = QString::fromUtf8(f.model);
        props[QStringLiteral("endpoint_metrics")] = f.metrics;
        props[QStringLiteral("endpoint_slots")] = f.slots;
        http.serve("/props", 200, QJsonDocument(props).toJson(QJsonDocument::Compact));
        const QJsonArray captured =
            QJsonDocument::fromJson(
                test::testData(QStringLiteral("llama-server/f16-npauto-kvu/slots_before.json")))
                .array();
        QJsonArray slots;
        for (int i = 0; i < f.parallel; ++i) {
            QJsonObject slot = captured.first().toObject();
            slot[QStringLiteral("id")] = i;
            slot[QStringLiteral("n_ctx")] = double(perSlot);
            slots.append(slot);
        }
        if (f.slots)
            http.serve("/slots", 200, QJsonDocument(slots).toJson(QJsonDocument::Compact));
        else
            http.serve(
                "/slots", 501,
                R"({"error":{"code":501,"message":"This server does not support slots endpoint. Start it with `--slots`","type":"not_supported_error"}})");
        if (f.metrics)
            http.serve("/metrics", 200,
                       test::testData(QStringLiteral("llama-server/f16-npauto-kvu/metrics_before.txt")),
                       "Content-Type: text/plain; version=0.0.4\r\nProcess-Start-Time-Unix: " +
                           QByteArray::number(QDateTime::currentSecsSinceEpoch() - g_clock.elapsed() / 1000) +
                           "\r\n");
        else
            http.serve(
                "/metrics", 501,
                R"({"error":{"code":501,"message":"This server does not support metrics endpoint. Start it with `--metrics`","type":"not_supported_error"}})");
    });

    http.serve("/stand-in/crash", 200, "{}");
    http.onHit("/stand-in/crash", [] { std::abort(); });
    if (const int after = qEnvironmentVariableIntValue("CACHEWISE_STAND_IN_EXIT_AFTER_MS"); after > 0)
        QTimer::singleShot(after, &app, [] {
            log('E', "srv    operator(): stand-in crash requested");
            std::abort();
        });

    // SIGTERM: llama-server cleans up and exits 0.
    static int termPipe[2];
    if (::pipe(termPipe) != 0)
        return 1;
    if (!qEnvironmentVariableIsSet("CACHEWISE_STAND_IN_IGNORE_TERM")) {
        std::signal(SIGTERM, [](int) {
            const char c = 1;
            [[maybe_unused]] const auto n = ::write(termPipe[1], &c, 1);
        });
        std::signal(SIGINT, [](int) {
            const char c = 1;
            [[maybe_unused]] const auto n = ::write(termPipe[1], &c, 1);
        });
    } else {
        std::signal(SIGTERM, SIG_IGN);
    }
    QSocketNotifier term(termPipe[0], QSocketNotifier::Read);
    QObject::connect(&term, &QSocketNotifier::activated, &app, [&] {
        log('I', "srv    operator(): operator(): cleaning up before exit...");
        app.quit();
    });
    return app.exec();
}
