// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/enums.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// What an action-log entry's details say, kept as phrases with their numbers ({"say":"cache_size",
// "percent":93.4,…}) so the window and reports can say them in the reader's language. The English text
// made from the same phrases is stored beside them (the API, the CLI and exports serve it).
namespace cachewise::model::phrase {

// How a failed request ended: an HTTP status, or the network's own words when there was no answer.
QJsonObject httpError(int status, const QString &networkError);

// The decision a rule made.
QJsonObject cacheSize(double percent, double limit, double target);
QJsonObject latency(bool perOutputToken, double ms, std::optional<double> running, double abovePercent,
                    double baselineMs, double limitPercent);
// What the decision does, or why it cannot be done.
QJsonObject prefillChunks(int tokens);
QJsonObject restartToChangeBatching(Engine engine);
QJsonObject eraseRefusedBefore();

// How an engine action ended (each names the server it was sent to).
QJsonObject keyUnreadable(const QString &action, const QString &server, const QString &why);
QJsonObject notAtRunTime(const QString &action, const QString &server, Engine engine);
QJsonObject resetFailed(const QString &server, const QString &path, const QJsonObject &error,
                        const QString &serverSaid);
QJsonObject resetDone(const QString &server, const QString &path, std::optional<double> beforePercent,
                      std::optional<double> afterPercent);
QJsonObject listFailed(const QString &server, const QString &path, const QJsonObject &error);
QJsonObject noModelLoaded(const QString &server);
QJsonObject unloadFailed(const QString &server, const QString &modelName, const QJsonObject &error);
QJsonObject unloaded(const QString &server, const QString &modelName, qint64 bytes);
QJsonObject capacityUnknown(const QString &server);
QJsonObject atTarget(const QString &server, qint64 used, qint64 capacity, qint64 target);
QJsonObject noIdleSlot(const QString &server, qint64 used, qint64 capacity);
QJsonObject eraseRefused(const QString &server);
QJsonObject eraseFailed(const QString &server, int slot, const QJsonObject &error);
// `slots`: [{"slot":0,"tokens":812},…]; `after` empty when the slots could not be read again.
QJsonObject erased(const QString &server, const QJsonArray &slots, qint64 before,
                   std::optional<qint64> after);

// Entries of their own.
QJsonObject webhookDelivered(const QString &action, const QString &url, int status);
QJsonObject webhookFailed(const QString &action, const QString &url, const QJsonObject &error);
// A recommendation marked applied or undone: its details (for its title in the reader's language), its
// English title and its flags.
QJsonObject recommendationApplied(const QJsonObject &finding, const QString &title, const QStringList &flags);
QJsonObject recommendationUndone(const QJsonObject &finding, const QString &title, const QStringList &flags);
QJsonObject entriesCleared(int entries, const QString &policy, double thresholdPercent);

} // namespace cachewise::model::phrase

namespace cachewise::model {

struct PhraseWording
{
    bool translated = true; // through QCoreApplication::translate and the default QLocale
    // A recommendation's title from its details, in the reader's language (the stored English title
    // when empty or when it answers nothing).
    std::function<QString(const QJsonObject &finding)> findingTitle;
};

// The phrases as one text; nullopt when one of them is not known to this version (the caller shows the
// stored text instead).
std::optional<QString> phrasesText(const QJsonArray &phrases, const PhraseWording &wording);
// The English text stored with the entry, whatever translator is installed.
QString englishPhrasesText(const QJsonArray &phrases);

} // namespace cachewise::model
