// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/notices.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace cachewise::sources {

QByteArray noticesJson(const QList<Notice> &notices)
{
    QJsonArray list;
    for (const Notice &n : notices)
        list.append(QJsonObject{{QStringLiteral("code"), n.code}, {QStringLiteral("args"), n.args}});
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

QList<Notice> parseNotices(const QByteArray &json)
{
    QList<Notice> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array()) {
        const QJsonObject o = v.toObject();
        const QString code = o.value(QLatin1String("code")).toString();
        if (!code.isEmpty())
            out << Notice{code, o.value(QLatin1String("args")).toObject()};
    }
    return out;
}

QString noticeText(const Notice &n)
{
    const auto num = [&n](const char *key) {
        return QString::number(n.args.value(QLatin1String(key)).toInteger());
    };
    const auto str = [&n](const char *key) {
        return n.args.value(QLatin1String(key)).toString();
    };
    const QString code = n.code;
    if (code == QLatin1String(notice::kKvLayoutUnknown))
        return QStringLiteral("llama-server has %1 slots of %2 tokens each and its HTTP API does not say "
                              "whether they share one cache of %2 tokens (unified: the default when it is "
                              "started without -np) or each have their own (%1 × %2 tokens). Capacity and "
                              "usage are left out until you say which: cachewise-cli source layout SOURCE_ID "
                              "unified|per-slot")
            .arg(num("slots"), num("slotContext"));
    if (code == QLatin1String(notice::kRuntimeMismatch))
        return QStringLiteral(
                   "the server reports %1 × %2 tokens (slots × context of each), but the project's "
                   "runtime (%3) describes %4 × %5: update the project's engine and model")
            .arg(num("slots"), num("slotContext"), str("flags"), num("expectedSlots"),
                 num("expectedSlotContext"));
    if (code == QLatin1String(notice::kSlotOverRuntime))
        return QStringLiteral("slot %1 holds %2 tokens, more than the %3 one slot of the project's runtime "
                              "can hold: the cache is unified or larger than described")
            .arg(num("slot"), num("tokens"), num("limit"));
    if (code == QLatin1String(notice::kNotUnified))
        return QStringLiteral("the slots hold %1 tokens together, more than one shared cache of %2 could: "
                              "each slot has a cache of its own")
            .arg(num("tokens"), num("slotContext"));
    if (code == QLatin1String(notice::kRestarted)) {
        const QString at = QDateTime::fromMSecsSinceEpoch(n.args.value(QLatin1String("at")).toInteger())
                               .toUTC()
                               .toString(Qt::ISODate);
        const QString changes = str("changes");
        return changes.isEmpty()
                   ? QStringLiteral("the server restarted (seen %1); if it was started with other flags, "
                                    "update the project's engine and model")
                         .arg(at)
                   : QStringLiteral("the server restarted (seen %1) with changes: %2; update the project's "
                                    "engine and model")
                         .arg(at, changes);
    }
    if (code == QLatin1String(notice::kEraseRefused))
        return QStringLiteral("llama-server refused to erase a slot (HTTP 501): start it with "
                              "--slot-save-path DIR so CacheWise can free idle slots; until it restarts, "
                              "the cache rule only alerts");
    if (code == QLatin1String(notice::kCacheTypeMismatch))
        return QStringLiteral("the server reports its KV cache as %1, the project's runtime says %2: "
                              "update the project's engine and model")
            .arg(str("reported"), str("described"));
    return code;
}

} // namespace cachewise::sources
