// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/common/result.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace cachewise::storage {

// The settings a user may read and change (`cachewise-cli config`), with defaults and checks.
// Values are stored as text in the settings table; unknown keys are refused.
struct SettingSpec
{
    QString key;
    QString defaultValue;
    QString description;
    qint64 minimum; // for integer settings
    qint64 maximum;
    bool integer;
};

const QList<SettingSpec> &settingSpecs();
const SettingSpec *findSetting(const QString &key);

struct HostPort
{
    QHostAddress address;
    quint16 port = 0;
};

// "127.0.0.1:4318", "[::1]:4318" or "localhost:4318"; port 0 allowed. Host names other than
// localhost are refused: the listener binds to an address, it does not resolve names.
std::optional<HostPort> parseHostPort(const QString &text);

// The folders of models.folders, as validateSetting normalised them.
QStringList modelFolders(const QString &settingValue);

// Checks and normalises a value for a key; the error says what is allowed.
Result<QString> validateSetting(const QString &key, const QString &value);

namespace setting {
inline const QString ListenAddress = QStringLiteral("listen.address");
inline const QString AllowedHosts = QStringLiteral("listen.allowedHosts");
inline const QString MaxBodyBytes = QStringLiteral("ingest.maxBodyBytes");
inline const QString MaxSamplesPerRequest = QStringLiteral("ingest.maxSamplesPerRequest");
inline const QString RateLimitPerSecond = QStringLiteral("ingest.rateLimitPerSecond");
inline const QString MaxFutureSkewSeconds = QStringLiteral("ingest.maxFutureSkewSeconds");
inline const QString MaxProcessedDataBytes = QStringLiteral("ingest.maxProcessedDataBytes");
inline const QString RetentionRawDays = QStringLiteral("retention.rawDays");
inline const QString RetentionMinuteRollupDays = QStringLiteral("retention.minuteRollupDays");
inline const QString OtlpProjectAttribute = QStringLiteral("otlp.projectAttribute");
inline const QString OtlpMaxKeylessProjects = QStringLiteral("otlp.maxKeylessProjects");
inline const QString AnalysisMinDataMinutes = QStringLiteral("analysis.minDataMinutes");
inline const QString UiLanguage = QStringLiteral("ui.language");
inline const QString UiTheme = QStringLiteral("ui.theme");
inline const QString UiReducedMotion = QStringLiteral("ui.reducedMotion");
inline const QString ModelFolders = QStringLiteral("models.folders");
inline const QString ModelUsualFolders = QStringLiteral("models.usualFolders");
inline const QString ServersStopOnQuit = QStringLiteral("servers.stopOnQuit");
} // namespace setting

} // namespace cachewise::storage
