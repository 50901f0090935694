// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/services/syncservice.h"

#include "core/common/clock.h"
#include "core/common/logging.h"
#include "core/storage/repository.h"

#include <QJsonDocument>
#include <QThread>
#include <QTimer>

namespace cachewise::services {

SyncService::SyncService(QString databasePath, storage::Writes writes, const Clock &clock, QObject *parent)
    : QObject(parent), m_path(std::move(databasePath)), m_writes(std::move(writes)), m_clock(clock),
      m_thread(new QThread), m_context(new QObject), m_afterChange(new QTimer(this)),
      m_periodic(new QTimer(this))
{
    qRegisterMetaType<SyncStatus>();
    qRegisterMetaType<AccountCheck>();
    qRegisterMetaType<sync::SyncProgress>();
    m_thread->setObjectName(QStringLiteral("cachewise-sync"));
    m_context->moveToThread(m_thread);
    m_thread->start();
    m_afterChange->setSingleShot(true);
    m_afterChange->setInterval(kAfterChangeMs);
    m_periodic->setInterval(kPeriodMs);
    connect(m_afterChange, &QTimer::timeout, this, [this] {
        // Only when something is to be sent: a write that changed nothing that syncs (the analysis making the
        // same advice again) numbers no change and costs no request.
        post([this](storage::Repository &repository) {
            auto account = sync::loadAccount(repository.sync());
            if (!account || !*account)
                return;
            auto made = storage::writeThrough(m_writes, [this](storage::Repository &w) -> Result<qint64> {
                storage::Transaction tx(w.database());
                auto numbered = sync::numberLocalChanges(w, m_clock, sync::Syncer::kChangesPerFile);
                if (!numbered)
                    return numbered;
                if (auto r = tx.commit(); !r)
                    return r.error();
                return numbered;
            });
            auto unsent = repository.sync().outgoing();
            if ((made && *made > 0) || (unsent && !unsent->isEmpty()))
                runRound(repository);
        });
    });
    connect(m_periodic, &QTimer::timeout, this, &SyncService::syncNow);
    connect(this, &SyncService::statusChanged, this, [this](const SyncStatus &s) { m_status = s; });
}

SyncService::~SyncService()
{
    // A round in flight finishes (its transfers time out within the client's idle limit).
    QMetaObject::invokeMethod(
        m_context, [this] { m_repository.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_context;
    delete m_thread;
}

void SyncService::post(std::function<void(storage::Repository &)> work)
{
    QMetaObject::invokeMethod(
        m_context,
        [this, work = std::move(work)] {
            if (!m_repository) {
                auto repository = std::make_unique<storage::Repository>(m_clock);
                if (auto r = repository->open(m_path); !r) {
                    SyncStatus failed;
                    failed.loaded = true;
                    failed.error = r.errorMessage();
                    Q_EMIT statusChanged(failed);
                    return;
                }
                m_repository = std::move(repository);
            }
            work(*m_repository);
        },
        Qt::QueuedConnection);
}

void SyncService::start()
{
    m_periodic->start();
    QTimer::singleShot(kOnStartMs, this, &SyncService::syncNow);
    refresh();
}

void SyncService::syncNow()
{
    post([this](storage::Repository &repository) { runRound(repository); });
}

void SyncService::noteLocalChange()
{
    m_afterChange->start();
}

void SyncService::refresh()
{
    post([this](storage::Repository &repository) { readStatus(repository, false); });
}

void SyncService::readStatus(storage::Repository &repository, bool running)
{
    SyncStatus s;
    s.loaded = true;
    s.running = running;
    auto overview = sync::readOverview(repository.sync());
    if (!overview)
        s.error = overview.errorMessage();
    else
        static_cast<sync::SyncOverview &>(s) = std::move(*overview);
    Q_EMIT statusChanged(s);
}

void SyncService::runRound(storage::Repository &repository)
{
    auto account = sync::loadAccount(repository.sync());
    if (!account || !*account)
        return readStatus(repository, false);
    readStatus(repository, true);
    auto stored = sync::loadStoredAccount(repository.sync());
    if (!stored || !*stored) {
        const Error e = stored ? Error{ErrorKind::NotFound, QStringLiteral("No hosted account is set."),
                                       QStringLiteral("account")}
                               : stored.error();
        QJsonObject last{{QStringLiteral("error"), e.message},
                         {QStringLiteral("errorField"), e.field},
                         {QStringLiteral("finishedAt"), double(m_clock.nowMs())}};
        (void)storage::writeThrough(m_writes, [&](storage::Repository &w) {
            return w.sync().setState(QStringLiteral("last.round"),
                                     QString::fromUtf8(QJsonDocument(last).toJson(QJsonDocument::Compact)));
        });
        return readStatus(repository, false);
    }
    sync::Syncer syncer(m_writes, (*stored)->account, (*stored)->key, m_clock);
    syncer.setReader(&repository);
    syncer.setProgress([this](const sync::SyncProgress &p) { Q_EMIT progress(p); });
    auto round = syncer.run();
    if (!round)
        qCWarning(lcSync).noquote() << "sync failed:" << round.errorMessage();
    else if (!round->problems.isEmpty())
        qCWarning(lcSync).noquote() << "sync:" << round->problems.join(QLatin1Char(' '));
    readStatus(repository, false);
}

AccountCheck SyncService::check(storage::Repository &repository, const sync::AccountSettings &account,
                                const QString &password, const std::optional<QString> &passphrase, bool keep)
{
    AccountCheck out;
    if (auto r = sync::checkAccount(account); !r)
        return AccountCheck{false, r.errorMessage(), r.error().field, {}};
    if (password.isEmpty())
        return AccountCheck{
            false, QStringLiteral("The app password is empty."), QStringLiteral("password"), {}};
    auto key = sync::connectAccount(account, password, passphrase, &out.certificateSha256);
    if (!key)
        return AccountCheck{false, key.errorMessage(), key.error().field, out.certificateSha256};
    if (keep) {
        sync::AccountSettings kept = account;
        kept.encrypted = !key->isEmpty();
        if (auto r = sync::storeAccountSecrets(repository.sync(), password, *key); !r)
            return AccountCheck{false, r.errorMessage(), r.error().field, out.certificateSha256};
        if (auto r = storage::writeThrough(
                m_writes, [&](storage::Repository &w) { return sync::saveAccount(w.sync(), kept); });
            !r)
            return AccountCheck{false, r.errorMessage(), {}, out.certificateSha256};
    }
    out.ok = true;
    return out;
}

void SyncService::testAccount(const sync::AccountSettings &account, const QString &password,
                              const std::optional<QString> &passphrase)
{
    post([this, account, password, passphrase](storage::Repository &repository) {
        Q_EMIT accountChecked(check(repository, account, password, passphrase, false), false);
    });
}

void SyncService::setAccount(const sync::AccountSettings &account, const QString &password,
                             const std::optional<QString> &passphrase)
{
    post([this, account, password, passphrase](storage::Repository &repository) {
        auto current = sync::loadAccount(repository.sync());
        if (current && *current && (*current)->folderUrl() != account.folderUrl()) {
            Q_EMIT accountChecked(
                AccountCheck{false,
                             QStringLiteral("This device syncs with %1. Forget that account first.")
                                 .arg((*current)->folderUrl().toString()),
                             QStringLiteral("url"),
                             {}},
                false);
            return;
        }
        const AccountCheck result = check(repository, account, password, passphrase, true);
        Q_EMIT accountChecked(result, result.ok);
        if (result.ok)
            runRound(repository);
        else
            readStatus(repository, false);
    });
}

void SyncService::forgetAccount()
{
    post([this](storage::Repository &repository) {
        QString error;
        if (auto removed = sync::removeAccountSecrets(repository.sync()); !removed) {
            error = removed.errorMessage();
        } else {
            auto r = storage::writeThrough(m_writes, [](storage::Repository &w) -> Result<void> {
                storage::Transaction tx(w.database());
                if (auto forgot = w.sync().forgetAccount(); !forgot)
                    return forgot;
                return tx.commit();
            });
            if (!r)
                error = r.errorMessage();
        }
        Q_EMIT forgotten(error);
        readStatus(repository, false);
    });
}

} // namespace cachewise::services
