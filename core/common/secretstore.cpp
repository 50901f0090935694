// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/common/secretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace cachewise::secrets {
namespace {

const QString kService = QStringLiteral(CACHEWISE_APP_ID);

// QtKeychain is not thread-safe (one job queue for the process): every job is created, run and finished
// on this one thread, whoever asks; answers travel back to the asker's thread.
class KeychainThread
{
public:
    static QObject *context()
    {
        static const bool started = [] {
            s_instance = new KeychainThread;
            qAddPostRoutine([] { s_instance->stop(); }); // before the application object goes
            return true;
        }();
        Q_UNUSED(started)
        return s_instance->m_context;
    }

private:
    KeychainThread() : m_thread(new QThread), m_context(new QObject)
    {
        m_thread->setObjectName(QStringLiteral("cachewise-keychain"));
        m_context->moveToThread(m_thread);
        m_thread->start();
    }

    void stop()
    {
        QMetaObject::invokeMethod(
            m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }

    QThread *m_thread;
    QObject *m_context;
    static KeychainThread *s_instance;
};

Error keychainError(const QKeychain::Job &job)
{
    return makeError(ErrorKind::Unavailable,
                     QStringLiteral("the OS keychain refused: %1").arg(job.errorString()));
}

// Runs a job made by `make` on the keychain thread and hands `finish(job)`'s answer to `done` in the
// asker's thread (unless `context` is gone by then).
template <typename T>
void run(std::function<QKeychain::Job *()> make, std::function<Result<T>(QKeychain::Job &)> finish,
         QObject *context, std::function<void(Result<T>)> done)
{
    QPointer<QObject> asker(context);
    QMetaObject::invokeMethod(KeychainThread::context(), [make = std::move(make), finish = std::move(finish),
                                                          asker, done = std::move(done)]() mutable {
        QKeychain::Job *job = make();
        job->setAutoDelete(true);
        job->setInsecureFallback(false); // a secret never lands in a plaintext file
        QObject::connect(
            job, &QKeychain::Job::finished, job,
            [finish = std::move(finish), asker, done = std::move(done)](QKeychain::Job *finished) {
                Result<T> outcome = finish(*finished);
                if (asker)
                    QMetaObject::invokeMethod(asker.data(), [done, outcome] { done(outcome); });
            });
        job->start();
    });
}

// Runs an asynchronous call to completion on a local event loop.
template <typename T>
Result<T> wait(int timeoutMs, const std::function<void(QObject *, std::function<void(Result<T>)>)> &call)
{
    QEventLoop loop;
    std::optional<Result<T>> outcome;
    call(&loop, [&outcome, &loop](Result<T> r) {
        outcome.emplace(std::move(r));
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!outcome)
        loop.exec();
    if (!outcome)
        return makeError(ErrorKind::Unavailable,
                         QStringLiteral("the OS keychain did not answer within %1 s").arg(timeoutMs / 1000));
    return std::move(*outcome);
}

} // namespace

KeychainThread *KeychainThread::s_instance = nullptr;

QString sourceKeyName(const QString &sourceId)
{
    return QStringLiteral("source/%1/api-key").arg(sourceId);
}

void read(const QString &name, QObject *context, std::function<void(Result<std::optional<QString>>)> done)
{
    run<std::optional<QString>>(
        [name]() -> QKeychain::Job * {
            auto *job = new QKeychain::ReadPasswordJob(kService);
            job->setKey(name);
            return job;
        },
        [](QKeychain::Job &job) -> Result<std::optional<QString>> {
            if (job.error() == QKeychain::EntryNotFound)
                return std::optional<QString>();
            if (job.error() != QKeychain::NoError)
                return keychainError(job);
            return std::optional<QString>(static_cast<QKeychain::ReadPasswordJob &>(job).textData());
        },
        context, std::move(done));
}

void write(const QString &name, const QString &secret, QObject *context,
           std::function<void(Result<void>)> done)
{
    run<void>(
        [name, secret]() -> QKeychain::Job * {
            auto *job = new QKeychain::WritePasswordJob(kService);
            job->setKey(name);
            job->setTextData(secret);
            return job;
        },
        [](QKeychain::Job &job) -> Result<void> {
            return job.error() == QKeychain::NoError ? Result<void>() : Result<void>(keychainError(job));
        },
        context, std::move(done));
}

void remove(const QString &name, QObject *context, std::function<void(Result<void>)> done)
{
    run<void>(
        [name]() -> QKeychain::Job * {
            auto *job = new QKeychain::DeletePasswordJob(kService);
            job->setKey(name);
            return job;
        },
        [](QKeychain::Job &job) -> Result<void> {
            const bool ok = job.error() == QKeychain::NoError || job.error() == QKeychain::EntryNotFound;
            return ok ? Result<void>() : Result<void>(keychainError(job));
        },
        context, std::move(done));
}

Result<std::optional<QString>> readNow(const QString &name, int timeoutMs)
{
    return wait<std::optional<QString>>(
        timeoutMs, [&name](QObject *context, auto done) { read(name, context, std::move(done)); });
}

Result<void> writeNow(const QString &name, const QString &secret, int timeoutMs)
{
    return wait<void>(timeoutMs,
                      [&](QObject *context, auto done) { write(name, secret, context, std::move(done)); });
}

Result<void> removeNow(const QString &name, int timeoutMs)
{
    return wait<void>(timeoutMs,
                      [&name](QObject *context, auto done) { remove(name, context, std::move(done)); });
}

} // namespace cachewise::secrets
