// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/ingest/samplejson.h"

#include "core/ingest/jsontext.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUuid>

#include <cmath>
#include <simdjson.h>
#include <string_view>

namespace cachewise::ingest {
namespace {

using model::MetricInfo;
using model::MetricSample;

// 2000-01-01T00:00:00Z: anything earlier is a client bug (an unset clock, seconds as ms).
constexpr qint64 kEarliestTimestampMs = 946'684'800'000;

SampleParseError bad(const QString &code, const QString &field, const QString &message, int status = 400)
{
    return SampleParseError{status, code, message, field};
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

const MetricInfo *findMetric(const QString &name)
{
    for (const MetricInfo &info : model::metricTable()) {
        if (name == QLatin1String(info.jsonName))
            return &info;
    }
    return nullptr;
}

// A timestamp's window, and a metric value's rules: the same for every door.
std::optional<SampleParseError> checkTimestamp(qint64 ts, const SampleParseOptions &options,
                                               const QString &field)
{
    if (ts > options.nowMs + options.maxFutureSkewMs)
        return bad(QStringLiteral("timestamp_in_future"), field,
                   QStringLiteral("%1 is more than %2 s in the future")
                       .arg(field)
                       .arg(options.maxFutureSkewMs / 1000));
    if (ts < kEarliestTimestampMs)
        return bad(QStringLiteral("timestamp_too_old"), field,
                   QStringLiteral("%1 is before the year 2000").arg(field));
    return std::nullopt;
}

std::optional<SampleParseError> checkValue(const MetricInfo &info, double d, const QString &field)
{
    if (!std::isfinite(d))
        return bad(QStringLiteral("non_finite"), field,
                   QStringLiteral("%1 must be a finite number").arg(field));
    if (d < 0)
        return bad(QStringLiteral("negative_value"), field,
                   QStringLiteral("%1 must not be negative").arg(field));
    if (info.integer && std::floor(d) != d)
        return bad(QStringLiteral("not_integer"), field,
                   QStringLiteral("%1 must be a whole number").arg(field));
    if (d > info.maximum)
        return bad(
            QStringLiteral("out_of_range"), field,
            QStringLiteral("%1 must be at most %2").arg(field, QString::number(info.maximum, 'g', 16)));
    return std::nullopt;
}

std::optional<SampleParseError> parseOne(const QJsonValue &value, const QString &prefix,
                                         const SampleParseOptions &options, MetricSample *out)
{
    auto field = [&](const QString &name) {
        return prefix.isEmpty() ? name : prefix + QLatin1Char('.') + name;
    };
    if (!value.isObject())
        return bad(QStringLiteral("wrong_type"), prefix.isEmpty() ? QStringLiteral("body") : prefix,
                   QStringLiteral("a sample must be a JSON object, not %1").arg(jsonTypeName(value)));
    const QJsonObject o = value.toObject();
    bool hasTimestamp = false;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        if (key == QLatin1String("projectId")) {
            if (!v.isString())
                return bad(
                    QStringLiteral("wrong_type"), field(key),
                    QStringLiteral("%1 must be a string (a UUID), not %2").arg(field(key), jsonTypeName(v)));
            out->projectId = normaliseUuid(v.toString());
            if (out->projectId.isEmpty())
                return bad(QStringLiteral("invalid_value"), field(key),
                           QStringLiteral("%1 must be a UUID").arg(field(key)));
        } else if (key == QLatin1String("timestamp")) {
            if (v.isNull())
                continue; // same as missing: now
            if (!v.isString())
                return bad(
                    QStringLiteral("wrong_type"), field(key),
                    QStringLiteral("%1 must be an ISO 8601 string, not %2").arg(field(key), jsonTypeName(v)));
            const qint64 ts = parseIsoTimestamp(v.toString());
            if (ts < 0)
                return bad(QStringLiteral("invalid_timestamp"), field(key),
                           QStringLiteral("%1 is not an ISO 8601 date and time").arg(field(key)));
            if (auto refused = checkTimestamp(ts, options, field(key)))
                return refused;
            out->timestampMs = ts;
            hasTimestamp = true;
        } else if (key == QLatin1String("processedData")) {
            if (v.isNull())
                continue;
            if (!v.isObject() && !v.isArray())
                return bad(QStringLiteral("wrong_type"), field(key),
                           QStringLiteral("%1 must be a JSON object or array, not %2")
                               .arg(field(key), jsonTypeName(v)));
            const QByteArray compact = v.isObject()
                                           ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                                           : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
            if (compact.size() > options.maxProcessedDataBytes)
                return bad(QStringLiteral("too_large"), field(key),
                           QStringLiteral("%1 is %2 bytes; at most %3 are allowed")
                               .arg(field(key))
                               .arg(compact.size())
                               .arg(options.maxProcessedDataBytes));
            out->processedData = compact;
        } else if (const MetricInfo *info = findMetric(key)) {
            if (v.isNull() && !info->required)
                continue;
            if (!v.isDouble())
                return bad(QStringLiteral("wrong_type"), field(key),
                           QStringLiteral("%1 must be a number, not %2").arg(field(key), jsonTypeName(v)));
            const double d = v.toDouble();
            if (auto refused = checkValue(*info, d, field(key)))
                return refused;
            out->values[model::metricIndex(info->metric)] = d;
        } else {
            return bad(QStringLiteral("unknown_field"), field(key),
                       key.isEmpty() ? QStringLiteral("a field with an empty name is not a known field")
                                     : QStringLiteral("%1 is not a known field").arg(field(key)));
        }
    }
    if (out->projectId.isEmpty())
        return bad(QStringLiteral("missing_field"), field(QStringLiteral("projectId")),
                   QStringLiteral("%1 is required").arg(field(QStringLiteral("projectId"))));
    for (const MetricInfo &info : model::metricTable()) {
        if (info.required && !out->values[model::metricIndex(info.metric)]) {
            const QString name = field(QLatin1String(info.jsonName));
            return bad(QStringLiteral("missing_field"), name, QStringLiteral("%1 is required").arg(name));
        }
    }
    if (!hasTimestamp)
        out->timestampMs = options.nowMs;
    return std::nullopt;
}

// JSON has no NaN or Infinity, and Qt's parser refuses numbers beyond a double; name the field
// such a value was given for (the key just before the parser stopped) instead of "malformed".
std::optional<SampleParseError> nonFiniteNumber(const QByteArray &body, const QJsonParseError &error)
{
    if (error.error != QJsonParseError::IllegalNumber && error.error != QJsonParseError::IllegalValue)
        return std::nullopt;
    const qsizetype at = std::clamp<qsizetype>(error.offset, 0, body.size());
    qsizetype start = at;
    while (start > 0 && QByteArrayView("-+.0123456789eEnaNINFinfty").contains(body.at(start - 1)))
        --start;
    const QByteArray token = body.mid(start, 12).toLower();
    const bool literal = token.startsWith("nan") || token.startsWith("-nan") ||
                         token.startsWith("infinity") || token.startsWith("-infinity") ||
                         token.startsWith("inf") || token.startsWith("-inf");
    if (error.error == QJsonParseError::IllegalValue && !literal)
        return std::nullopt;
    static const QRegularExpression lastKey(QStringLiteral("\"([A-Za-z0-9_]+)\"\\s*:\\s*$"));
    const QString before = QString::fromUtf8(body.left(start));
    const QRegularExpressionMatch m = lastKey.match(before);
    if (!m.hasMatch())
        return std::nullopt;
    const QString field = m.captured(1);
    return bad(QStringLiteral("non_finite"), field,
               QStringLiteral("%1 must be a finite number within the range of a double").arg(field));
}

// The fast reader: simdjson over the plain shapes of a push body. It takes a body only when Qt's reader
// would take it with the same values; anything else (a refusal, processedData, a UUID in braces, a zero
// written as a fraction, a body over 1 MiB) is left to Qt's reader, so every answer, and every refusal
// byte for byte, is the one parseSamplesWithQtJson gives.
constexpr std::size_t kFastReaderMaxBytes = 1 << 20;

// The 8-4-4-4-12 form, lower-cased; not the nil UUID (which the push API refuses).
bool plainUuid(std::string_view text, char (&lower)[36])
{
    if (text.size() != 36)
        return false;
    bool nonZero = false;
    for (std::size_t i = 0; i < 36; ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
            lower[i] = c;
            continue;
        }
        const int v = hexDigit(c);
        if (v < 0)
            return false;
        nonZero = nonZero || v != 0;
        lower[i] = "0123456789abcdef"[v];
    }
    return nonZero;
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int *value)
{
    if (at + count > text.size())
        return false;
    int v = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
}

// parseIsoTimestamp's grammar without surrounding space, for valid dates and times only; nullopt for
// anything else.
std::optional<qint64> plainIsoTimestamp(std::string_view t)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    if (!digits(t, 0, 4, &year) || t.size() < 16 || t[4] != '-' || !digits(t, 5, 2, &month) || t[7] != '-' ||
        !digits(t, 8, 2, &day) || (t[10] != 'T' && t[10] != ' ') || !digits(t, 11, 2, &hour) ||
        t[13] != ':' || !digits(t, 14, 2, &minute))
        return std::nullopt;
    std::size_t at = 16;
    if (at < t.size() && t[at] == ':') {
        if (!digits(t, at + 1, 2, &second))
            return std::nullopt;
        at += 3;
        if (at < t.size() && (t[at] == '.' || t[at] == ',')) {
            ++at;
            const std::size_t start = at;
            while (at < t.size() && t[at] >= '0' && t[at] <= '9')
                ++at;
            const std::size_t count = at - start;
            if (count < 1 || count > 9)
                return std::nullopt;
            for (std::size_t i = 0; i < 3; ++i)
                millis = millis * 10 + (i < count ? t[start + i] - '0' : 0);
        }
    }
    int offsetMinutes = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
        ++at;
    } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
        const int sign = t[at] == '-' ? -1 : 1;
        int hh = 0, mm = 0;
        if (!digits(t, at + 1, 2, &hh))
            return std::nullopt;
        at += 3;
        if (at < t.size() && t[at] == ':')
            ++at;
        if (!digits(t, at, 2, &mm) || hh > 23 || mm > 59)
            return std::nullopt;
        at += 2;
        offsetMinutes = sign * (hh * 60 + mm);
    }
    if (at != t.size())
        return std::nullopt;
    // QDate: the same calendar check and day count as parseIsoTimestamp's own (year 0 is invalid there too).
    const QDate date(year, month, day);
    if (!date.isValid() || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    static const qint64 kEpochDay = QDate(1970, 1, 1).toJulianDay();
    return (((date.toJulianDay() - kEpochDay) * 24 + hour) * 60 + minute - offsetMinutes) * 60'000 +
           second * 1000 + millis;
}

const MetricInfo *findMetric(std::string_view name)
{
    for (const MetricInfo &info : model::metricTable()) {
        if (name == info.jsonName)
            return &info;
    }
    return nullptr;
}

// A number as Qt reads it. Qt keeps an integral value as an integer (so "-0.0" reads as +0) and refuses
// a number that underflows to zero ("1e-400"); simdjson reads both as a double zero, so zeros written
// with a fraction or an exponent go to Qt's reader.
std::optional<double> plainNumber(simdjson::dom::element v)
{
    switch (v.type()) {
    case simdjson::dom::element_type::INT64: return double(int64_t(v));
    case simdjson::dom::element_type::UINT64: return double(uint64_t(v));
    case simdjson::dom::element_type::DOUBLE: {
        const double d = double(v);
        if (d == 0)
            return std::nullopt;
        return d;
    }
    default: return std::nullopt;
    }
}

struct FastReader
{
    const SampleParseOptions &options;
    char lastRawId[36] = {};
    QString lastId; // shared by every sample of the same project: one string a body, not one a sample

    bool readOne(simdjson::dom::element value, MetricSample *out)
    {
        simdjson::dom::object o;
        if (value.get_object().get(o))
            return false;
        // Bits 0..kMetricCount-1: the metrics; then projectId and timestamp; a key seen twice is Qt's to
        // refuse.
        constexpr quint32 kProjectIdBit = 1u << model::kMetricCount;
        constexpr quint32 kTimestampBit = kProjectIdBit << 1;
        quint32 seen = 0;
        bool hasTimestamp = false;
        for (const simdjson::dom::key_value_pair field : o) {
            const std::string_view key = field.key;
            const simdjson::dom::element v = field.value;
            if (key == "projectId") {
                if (seen & kProjectIdBit)
                    return false;
                seen |= kProjectIdBit;
                std::string_view text;
                char lower[36];
                if (v.get_string().get(text) || !plainUuid(text, lower))
                    return false;
                if (lastId.isEmpty() || std::memcmp(lower, lastRawId, 36) != 0) {
                    std::memcpy(lastRawId, lower, 36);
                    lastId = QString::fromLatin1(lower, 36);
                }
                out->projectId = lastId;
            } else if (key == "timestamp") {
                if (seen & kTimestampBit)
                    return false;
                seen |= kTimestampBit;
                if (v.is_null())
                    continue;
                std::string_view text;
                if (v.get_string().get(text))
                    return false;
                const std::optional<qint64> ts = plainIsoTimestamp(text);
                if (!ts || *ts > options.nowMs + options.maxFutureSkewMs || *ts < kEarliestTimestampMs)
                    return false;
                out->timestampMs = *ts;
                hasTimestamp = true;
            } else if (const MetricInfo *info = findMetric(key)) {
                const std::size_t index = model::metricIndex(info->metric);
                if (seen & (1u << index))
                    return false;
                seen |= 1u << index;
                if (v.is_null() && !info->required)
                    continue;
                const std::optional<double> d = plainNumber(v);
                if (!d || *d < 0 || (info->integer && std::floor(*d) != *d) || *d > info->maximum)
                    return false;
                out->values[index] = *d;
            } else {
                return false; // processedData, an unknown field
            }
        }
        if (!(seen & kProjectIdBit))
            return false;
        for (const MetricInfo &info : model::metricTable()) {
            if (info.required && !out->values[model::metricIndex(info.metric)])
                return false;
        }
        if (!hasTimestamp)
            out->timestampMs = options.nowMs;
        return true;
    }
};

std::optional<QList<MetricSample>> readPlainSamples(const QByteArray &body, const SampleParseOptions &options)
{
    if (std::size_t(body.size()) > kFastReaderMaxBytes)
        return std::nullopt;
    // One parser a thread, its buffers kept between bodies.
    thread_local simdjson::dom::parser parser(kFastReaderMaxBytes);
    simdjson::dom::element root;
    if (parser.parse(body.constData(), std::size_t(body.size())).get(root))
        return std::nullopt;
    FastReader reader{options, {}, {}};
    QList<MetricSample> samples;
    const auto readArray = [&](simdjson::dom::array items) {
        const std::size_t count = items.size();
        if (count == 0 || count > std::size_t(options.maxSamples))
            return false;
        samples.reserve(qsizetype(count));
        for (const simdjson::dom::element item : items) {
            if (!reader.readOne(item, &samples.emplace_back()))
                return false;
        }
        return true;
    };
    simdjson::dom::array items;
    simdjson::dom::object object;
    if (!root.get_array().get(items)) {
        if (!readArray(items))
            return std::nullopt;
    } else if (!root.get_object().get(object)) {
        simdjson::dom::element wrapped;
        if (!object.at_key("samples").get(wrapped)) {
            if (object.size() != 1 || wrapped.get_array().get(items) || !readArray(items))
                return std::nullopt;
        } else if (!reader.readOne(root, &samples.emplace_back())) {
            return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
    return samples;
}

} // namespace

std::optional<SampleParseError> checkSample(const model::MetricSample &sample,
                                            const SampleParseOptions &options, const QString &prefix)
{
    const auto field = [&prefix](const QString &name) {
        return prefix.isEmpty() ? name : prefix + QLatin1Char('.') + name;
    };
    if (auto refused = checkTimestamp(sample.timestampMs, options, field(QStringLiteral("timestamp"))))
        return refused;
    for (const MetricInfo &info : model::metricTable()) {
        if (const auto v = sample.values[model::metricIndex(info.metric)]) {
            if (auto refused = checkValue(info, *v, field(QLatin1String(info.jsonName))))
                return refused;
        }
    }
    return std::nullopt;
}

QString normaliseUuid(const QString &text)
{
    // \z, not $: PCRE's $ also matches before a final newline, which would let "uuid\n" through.
    static const QRegularExpression shape(QStringLiteral(
        "^\\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}?\\z"));
    if (!shape.match(text).hasMatch())
        return {};
    const QUuid uuid = QUuid::fromString(text);
    if (uuid.isNull())
        return {};
    return uuid.toString(QUuid::WithoutBraces);
}

qint64 parseIsoTimestamp(const QString &text)
{
    static const QRegularExpression shape(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})[T "
                       "](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(Z|z|[+-]\\d{2}:?\\d{2})?$"));
    const QRegularExpressionMatch m = shape.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int hour = m.captured(4).toInt();
    const int minute = m.captured(5).toInt();
    const int second = m.captured(6).isEmpty() ? 0 : m.captured(6).toInt();
    const int millis =
        m.captured(7).isEmpty() ? 0 : QString(m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(hour, minute, second, millis);
    if (!date.isValid() || !time.isValid())
        return -1;
    int offsetSeconds = 0;
    const QString zone = m.captured(8);
    if (!zone.isEmpty() && zone != QLatin1String("Z") && zone != QLatin1String("z")) {
        const QString digits = QString(zone.mid(1)).remove(QLatin1Char(':'));
        const int hh = digits.left(2).toInt();
        const int mm = digits.mid(2, 2).toInt();
        if (hh > 23 || mm > 59)
            return -1;
        offsetSeconds = (hh * 3600 + mm * 60) * (zone.startsWith(QLatin1Char('-')) ? -1 : 1);
    }
    const QDateTime dt(date, time, QTimeZone::utc());
    return dt.toMSecsSinceEpoch() - qint64(offsetSeconds) * 1000;
}

SampleParseResult parseSamplesWithQtJson(const QByteArray &body, const SampleParseOptions &options)
{
    if (body.trimmed().isEmpty())
        return bad(QStringLiteral("malformed_json"), QStringLiteral("body"),
                   QStringLiteral("the body is empty"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (auto nonFinite = nonFiniteNumber(body, parseError))
            return *nonFinite;
        return bad(QStringLiteral("malformed_json"), QStringLiteral("body"),
                   QStringLiteral("malformed JSON at byte %1: %2")
                       .arg(parseError.offset)
                       .arg(parseError.errorString()));
    }

    // What Qt's parser lets through: a key given twice (the last would win) and a lone surrogate.
    if (const auto problem = checkJsonText(body, QStringLiteral("samples")))
        return bad(problem->code, problem->path, problem->message);

    QJsonArray items;
    bool batch = false;
    QString arrayName;
    if (doc.isArray()) {
        items = doc.array();
        batch = true;
    } else if (doc.isObject() && doc.object().contains(QLatin1String("samples"))) {
        const QJsonObject o = doc.object();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != QLatin1String("samples"))
                return bad(QStringLiteral("unknown_field"), it.key(),
                           QStringLiteral("%1 is not allowed beside samples").arg(it.key()));
        }
        if (!o.value(QLatin1String("samples")).isArray())
            return bad(QStringLiteral("wrong_type"), QStringLiteral("samples"),
                       QStringLiteral("samples must be an array, not %1")
                           .arg(jsonTypeName(o.value(QLatin1String("samples")))));
        items = o.value(QLatin1String("samples")).toArray();
        batch = true;
        arrayName = QStringLiteral("samples");
    } else if (doc.isObject()) {
        items.append(doc.object());
    } else {
        return bad(
            QStringLiteral("wrong_type"), QStringLiteral("body"),
            QStringLiteral("the body must be a sample object, an array of samples or {\"samples\": [...]}"));
    }
    if (items.isEmpty())
        return bad(QStringLiteral("no_samples"), arrayName.isEmpty() ? QStringLiteral("body") : arrayName,
                   QStringLiteral("the request holds no samples"));
    if (items.size() > options.maxSamples)
        return bad(QStringLiteral("too_many_samples"),
                   arrayName.isEmpty() ? QStringLiteral("body") : arrayName,
                   QStringLiteral("%1 samples in one request; at most %2 are allowed")
                       .arg(items.size())
                       .arg(options.maxSamples),
                   413);

    QList<MetricSample> samples;
    samples.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        MetricSample sample;
        const QString prefix = batch ? QStringLiteral("%1[%2]")
                                           .arg(arrayName.isEmpty() ? QStringLiteral("samples") : arrayName)
                                           .arg(i)
                                     : QString();
        if (auto error = parseOne(items.at(i), prefix, options, &sample))
            return *error;
        samples.append(std::move(sample));
    }
    return samples;
}

SampleParseResult parseSamples(const QByteArray &body, const SampleParseOptions &options)
{
    if (std::optional<QList<MetricSample>> plain = readPlainSamples(body, options))
        return std::move(*plain);
    return parseSamplesWithQtJson(body, options);
}

} // namespace cachewise::ingest
