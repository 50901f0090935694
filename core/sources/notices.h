// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace cachewise::sources {

// Something the scraper learnt about a server that the user should know, or answer: a code and its
// numbers, so each reader words it in its own language. Kept with the source (project_sources.notices).
struct Notice
{
    QString code;
    QJsonObject args;
    bool operator==(const Notice &other) const { return code == other.code && args == other.args; }
};

namespace notice {
// llama-server's slots could share one cache or each have their own; /props and /slots cannot tell.
// args: slots, slotContext. Answer with `source layout ID unified|per-slot` or on the project page.
inline constexpr char kKvLayoutUnknown[] = "kv_layout_unknown";
// The server's slots are not what the project's runtime describes. args: slots, slotContext,
// expectedSlots, expectedSlotContext, flags.
inline constexpr char kRuntimeMismatch[] = "runtime_mismatch";
// A slot holds more tokens than one slot of the described runtime can. args: slot, tokens, limit.
inline constexpr char kSlotOverRuntime[] = "slot_over_runtime";
// The slots hold more tokens together than one shared cache could: they are not unified, whatever was
// said. args: tokens, slotContext.
inline constexpr char kNotUnified[] = "not_unified";
// The server restarted; its flags may have changed. args: at (ms), changes (English list, may be empty).
inline constexpr char kRestarted[] = "restarted";
// llama-server answered 501 to a slot erase: it runs without --slot-save-path. args: at (ms).
inline constexpr char kEraseRefused[] = "erase_refused";
// The engine reports another KV cache type than the runtime says. args: reported, described.
inline constexpr char kCacheTypeMismatch[] = "cache_type_mismatch";
} // namespace notice

QByteArray noticesJson(const QList<Notice> &notices);
QList<Notice> parseNotices(const QByteArray &json);
// The notice in English (CLI, logs).
QString noticeText(const Notice &notice);

} // namespace cachewise::sources
