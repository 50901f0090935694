// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/storage/settings.h"

#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>

namespace cachewise::storage {

std::optional<HostPort> parseHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : -1;
    QString host = colon > 0 ? text.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address =
        host == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (!ok || port < 0 || port > 65535 || address.isNull())
        return std::nullopt;
    return HostPort{address, quint16(port)};
}

const QList<SettingSpec> &settingSpecs()
{
    static const QList<SettingSpec> specs{
        {setting::ListenAddress, QStringLiteral("127.0.0.1:4318"),
         QStringLiteral("listener address HOST:PORT used when --listen is not given"), 0, 0, false},
        {setting::AllowedHosts, QString(),
         QStringLiteral("host names the listener answers besides 127.0.0.1, localhost and [::1], comma "
                        "separated (any Host is answered when it listens on a non-loopback address)"),
         0, 0, false},
        {setting::MaxBodyBytes, QStringLiteral("4194304"),
         QStringLiteral("largest request body the listener accepts, in bytes"), 1024, 64 * 1024 * 1024, true},
        {setting::MaxSamplesPerRequest, QStringLiteral("5000"),
         QStringLiteral("most samples in one POST /api/metrics"), 1, 100000, true},
        {setting::RateLimitPerSecond, QStringLiteral("200"),
         QStringLiteral("requests per second allowed per API key (0 = no limit)"), 0, 1000000, true},
        {setting::MaxFutureSkewSeconds, QStringLiteral("300"),
         QStringLiteral("how far in the future a sample's timestamp may be, in seconds"), 0, 86400, true},
        {setting::MaxProcessedDataBytes, QStringLiteral("16384"),
         QStringLiteral("largest processedData object per sample, in bytes of compact JSON"), 0, 1048576,
         true},
        {setting::RetentionRawDays, QStringLiteral("30"),
         QStringLiteral("days raw samples are kept (rollups stay)"), 1, 36500, true},
        {setting::RetentionMinuteRollupDays, QStringLiteral("90"),
         QStringLiteral("days per-minute rollups are kept (hourly rollups stay)"), 1, 36500, true},
        {setting::AnalysisMinDataMinutes, QStringLiteral("60"),
         QStringLiteral("minutes of data a project needs before recommendations are made"), 1, 10080, true},
        {setting::OtlpProjectAttribute, QStringLiteral("service.name"),
         QStringLiteral("OpenTelemetry resource attribute whose value names the project of a program "
                        "that sends without a key"),
         0, 0, false},
        {setting::OtlpMaxKeylessProjects, QStringLiteral("10"),
         QStringLiteral("most projects that programs sending OpenTelemetry without a key may create, in "
                        "all (0 = none; a project given a key no longer counts)"),
         0, 10000, true},
        {setting::UiTheme, QStringLiteral("system"),
         QStringLiteral("colours of the desktop app: system, light or dark"), 0, 0, false},
        {setting::UiReducedMotion, QStringLiteral("0"),
         QStringLiteral("1 turns off fades and chart animations in the desktop app"), 0, 1, true},
        {setting::ModelFolders, QString(),
         QStringLiteral("folders the model library scans for .gguf files, absolute paths separated by '%1'")
             .arg(QDir::listSeparator()),
         0, 0, false},
        {setting::ModelUsualFolders, QStringLiteral("1"),
         QStringLiteral("1 also scans LM Studio's and llama.cpp's model folders and Ollama's store when they "
                        "exist"),
         0, 1, true},
        {setting::ServersStopOnQuit, QStringLiteral("1"),
         QStringLiteral("1 stops the llama-servers CacheWise started when it quits; 0 leaves them running "
                        "and takes them back on the next start"),
         0, 1, true},
        {setting::UiLanguage, QStringLiteral("system"),
         QStringLiteral("language of the desktop app: system, en or tr"), 0, 0, false},
    };
    return specs;
}

const SettingSpec *findSetting(const QString &key)
{
    for (const SettingSpec &spec : settingSpecs()) {
        if (spec.key == key)
            return &spec;
    }
    return nullptr;
}

QStringList modelFolders(const QString &settingValue)
{
    QStringList folders;
    for (const QString &part : settingValue.split(QDir::listSeparator(), Qt::SkipEmptyParts)) {
        const QString folder = QDir::cleanPath(part.trimmed());
        if (!folder.isEmpty() && !folders.contains(folder))
            folders << folder;
    }
    return folders;
}

Result<QString> validateSetting(const QString &key, const QString &value)
{
    const SettingSpec *spec = findSetting(key);
    if (!spec)
        return makeError(ErrorKind::BadInput, QStringLiteral("unknown setting '%1'").arg(key),
                         QStringLiteral("unknown_setting"));
    const QString v = value.trimmed();
    if (spec->integer) {
        bool ok = false;
        const qint64 n = v.toLongLong(&ok);
        if (!ok || n < spec->minimum || n > spec->maximum)
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("%1 must be a whole number from %2 to %3")
                                 .arg(key)
                                 .arg(spec->minimum)
                                 .arg(spec->maximum),
                             QStringLiteral("invalid_value"));
        return QString::number(n);
    }
    if (key == setting::ListenAddress) {
        if (!parseHostPort(v))
            return makeError(
                ErrorKind::BadInput,
                QStringLiteral("%1 must be HOST:PORT with an IP address, for example 127.0.0.1:4318")
                    .arg(key),
                QStringLiteral("invalid_value"));
        return v;
    }
    if (key == setting::AllowedHosts) {
        // Names as a Host header carries them (without the port), checked so a typo is not silently
        // ignored.
        static const QRegularExpression name(
            QStringLiteral("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"));
        QStringList names;
        for (const QString &part : v.toLower().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString n = part.trimmed();
            if (n.size() > 253 || !name.match(n).hasMatch())
                return makeError(ErrorKind::BadInput,
                                 QStringLiteral("%1 wants host names separated by commas, for example "
                                                "my-box.local,llm.lan (got '%2')")
                                     .arg(key, n),
                                 QStringLiteral("invalid_value"));
            if (!names.contains(n))
                names << n;
        }
        return names.join(QLatin1Char(','));
    }
    if (key == setting::UiTheme) {
        if (v != QStringLiteral("system") && v != QStringLiteral("light") && v != QStringLiteral("dark"))
            return makeError(ErrorKind::BadInput, QStringLiteral("%1 must be system, light or dark").arg(key),
                             QStringLiteral("invalid_value"));
        return v;
    }
    if (key == setting::OtlpProjectAttribute) {
        if (v.isEmpty() || v.size() > 255 || v.contains(QLatin1Char(' ')))
            return makeError(ErrorKind::BadInput,
                             QStringLiteral("%1 must be an attribute key such as service.name (no spaces, "
                                            "at most 255 characters)")
                                 .arg(key),
                             QStringLiteral("invalid_value"));
        return v;
    }
    if (key == setting::ModelFolders) {
        const QStringList folders = modelFolders(v);
        for (const QString &folder : folders) {
            if (QDir::isRelativePath(folder))
                return makeError(ErrorKind::BadInput,
                                 QStringLiteral("%1 wants absolute paths separated by '%2' (got '%3')")
                                     .arg(key, QString(QDir::listSeparator()), folder),
                                 QStringLiteral("invalid_value"));
        }
        return folders.join(QDir::listSeparator());
    }
    if (key == setting::UiLanguage) {
        if (v != QStringLiteral("system") && v != QStringLiteral("en") && v != QStringLiteral("tr"))
            return makeError(ErrorKind::BadInput, QStringLiteral("%1 must be system, en or tr").arg(key),
                             QStringLiteral("invalid_value"));
        return v;
    }
    return v;
}

} // namespace cachewise::storage
