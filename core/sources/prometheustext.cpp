// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sources/prometheustext.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cachewise::sources {
namespace {

bool isNameStart(char c, bool metric)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
}

bool isNameChar(char c, bool metric)
{
    return isNameStart(c, metric) || (c >= '0' && c <= '9');
}

bool validName(const QByteArray &name, bool metric)
{
    if (name.isEmpty() || !isNameStart(name[0], metric))
        return false;
    return std::all_of(name.begin(), name.end(), [metric](char c) { return isNameChar(c, metric); });
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

QByteArray trimBlanks(const QByteArray &text)
{
    qsizetype from = 0;
    qsizetype to = text.size();
    while (from < to && isBlank(text[from]))
        ++from;
    while (to > from && isBlank(text[to - 1]))
        --to;
    return text.mid(from, to - from);
}

QList<QByteArray> splitBlanks(const QByteArray &text)
{
    QList<QByteArray> out;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && isBlank(text[i]))
            ++i;
        qsizetype end = i;
        while (end < text.size() && !isBlank(text[end]))
            ++end;
        if (end > i)
            out << text.mid(i, end - i);
        i = end;
    }
    return out;
}

// Go's strconv.ParseFloat as the text format uses it: decimal or exponent, NaN, ±Inf (any case).
std::optional<double> parseFloat(const QByteArray &token)
{
    const QByteArray lower = token.toLower();
    if (lower == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == "+inf" || lower == "inf" || lower == "+infinity" || lower == "infinity")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf" || lower == "-infinity")
        return -std::numeric_limits<double>::infinity();
    if (token.isEmpty() || token.size() > 64)
        return std::nullopt;
    for (char c : token) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
            return std::nullopt; // also refuses hex, underscores and "1e"
    }
    bool ok = false;
    const double v = token.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return v;
}

QString lineError(int line, const QString &reason)
{
    return QStringLiteral("line %1: %2").arg(line).arg(reason);
}

// The family a sample belongs to: histograms and summaries own their _bucket/_sum/_count series.
QString familyOf(const QString &sample, const QHash<QString, MetricType> &types)
{
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const QLatin1String s(suffix);
        if (!sample.endsWith(s))
            continue;
        const QString base = sample.left(sample.size() - s.size());
        const auto it = types.constFind(base);
        if (it == types.constEnd())
            continue;
        if (*it == MetricType::Histogram || (*it == MetricType::Summary && s != QLatin1String("_bucket")))
            return base;
    }
    return sample;
}

class Parser
{
public:
    explicit Parser(const QByteArray &text) : m_text(text) {}

    Result<Exposition> run()
    {
        qsizetype pos = 0;
        int lineNo = 0;
        while (pos <= m_text.size()) {
            qsizetype end = m_text.indexOf('\n', pos);
            if (end < 0)
                end = m_text.size();
            ++lineNo;
            const QByteArray line = m_text.mid(pos, end - pos);
            pos = end + 1;
            if (line.isEmpty()) {
                if (end == m_text.size())
                    break;
                continue;
            }
            const auto error = line.startsWith('#') ? comment(line) : sample(line);
            if (error)
                return makeError(ErrorKind::BadInput, lineError(lineNo, *error));
            if (end == m_text.size())
                break;
        }
        return m_out;
    }

private:
    PromFamily &familyNamed(const QString &name)
    {
        const auto it = m_index.constFind(name);
        if (it != m_index.constEnd())
            return m_out.families[*it];
        PromFamily f;
        f.name = name;
        f.type = m_types.value(name, MetricType::Untyped);
        m_index.insert(name, int(m_out.families.size()));
        m_out.families << f;
        return m_out.families.last();
    }

    std::optional<QString> comment(const QByteArray &line)
    {
        // "# HELP name text" / "# TYPE name type"; any other comment is ignored.
        qsizetype i = 1;
        while (i < line.size() && isBlank(line[i]))
            ++i;
        qsizetype kwEnd = i;
        while (kwEnd < line.size() && !isBlank(line[kwEnd]))
            ++kwEnd;
        const QByteArray keyword = line.mid(i, kwEnd - i);
        if (keyword != "HELP" && keyword != "TYPE")
            return std::nullopt;
        i = kwEnd;
        while (i < line.size() && isBlank(line[i]))
            ++i;
        qsizetype nameEnd = i;
        while (nameEnd < line.size() && !isBlank(line[nameEnd]))
            ++nameEnd;
        const QByteArray name = line.mid(i, nameEnd - i);
        if (!validName(name, true))
            return QStringLiteral("invalid metric name in comment");
        i = nameEnd;
        if (i < line.size())
            ++i; // one separating blank; the rest is the text
        const QByteArray rest = line.mid(i);
        const QString metric = QString::fromUtf8(name);
        if (keyword == "HELP") {
            if (m_helped.contains(metric))
                return QStringLiteral("second HELP line for metric name \"%1\"").arg(metric);
            m_helped.insert(metric);
            QByteArray help;
            for (qsizetype k = 0; k < rest.size(); ++k) {
                if (rest[k] == '\\' && k + 1 < rest.size() && (rest[k + 1] == '\\' || rest[k + 1] == 'n')) {
                    help += rest[k + 1] == 'n' ? '\n' : '\\';
                    ++k;
                } else {
                    help += rest[k];
                }
            }
            familyNamed(metric).help = QString::fromUtf8(help);
            return std::nullopt;
        }
        const QByteArray type = trimBlanks(rest);
        MetricType t = MetricType::Untyped;
        if (type == "counter")
            t = MetricType::Counter;
        else if (type == "gauge")
            t = MetricType::Gauge;
        else if (type == "histogram")
            t = MetricType::Histogram;
        else if (type == "summary")
            t = MetricType::Summary;
        else if (type != "untyped")
            return QStringLiteral("unknown metric type \"%1\"").arg(QString::fromUtf8(rest));
        if (m_types.contains(metric) || m_sampled.contains(metric))
            return QStringLiteral("second TYPE line for metric name \"%1\", or TYPE reported after samples")
                .arg(metric);
        m_types.insert(metric, t);
        familyNamed(metric).type = t;
        return std::nullopt;
    }

    std::optional<QString> sample(const QByteArray &line)
    {
        qsizetype i = 0;
        while (i < line.size() && isBlank(line[i]))
            ++i;
        qsizetype nameEnd = i;
        while (nameEnd < line.size() && isNameChar(line[nameEnd], true))
            ++nameEnd;
        const QByteArray name = line.mid(i, nameEnd - i);
        if (!validName(name, true))
            return QStringLiteral("invalid metric name");
        PromSample s;
        s.name = QString::fromUtf8(name);
        i = nameEnd;
        if (i < line.size() && line[i] == '{') {
            ++i;
            for (;;) {
                while (i < line.size() && isBlank(line[i]))
                    ++i;
                if (i < line.size() && line[i] == '}') {
                    ++i;
                    break;
                }
                qsizetype labelEnd = i;
                while (labelEnd < line.size() && isNameChar(line[labelEnd], false))
                    ++labelEnd;
                const QByteArray label = line.mid(i, labelEnd - i);
                if (!validName(label, false))
                    return QStringLiteral("invalid label name");
                i = labelEnd;
                while (i < line.size() && isBlank(line[i]))
                    ++i;
                if (i >= line.size() || line[i] != '=')
                    return QStringLiteral("expected '=' after label name \"%1\"")
                        .arg(QString::fromUtf8(label));
                ++i;
                while (i < line.size() && isBlank(line[i]))
                    ++i;
                if (i >= line.size() || line[i] != '"')
                    return QStringLiteral("expected '\"' at start of label value, found '%1'")
                        .arg(i < line.size() ? QString(QLatin1Char(line[i])) : QStringLiteral("end of line"));
                ++i;
                QByteArray value;
                bool closed = false;
                while (i < line.size()) {
                    const char c = line[i++];
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= line.size())
                            break;
                        const char e = line[i++];
                        if (e == '\\' || e == '"')
                            value += e;
                        else if (e == 'n')
                            value += '\n';
                        else
                            return QStringLiteral("invalid escape sequence '\\%1'").arg(QLatin1Char(e));
                    } else {
                        value += c;
                    }
                }
                if (!closed)
                    return QStringLiteral("unterminated label value");
                // An empty value is a value (not a missing label): keep it non-null.
                s.labels << qMakePair(QString::fromUtf8(label), value.isEmpty() ? QString(QLatin1String(""))
                                                                                : QString::fromUtf8(value));
                while (i < line.size() && isBlank(line[i]))
                    ++i;
                if (i < line.size() && line[i] == ',') {
                    ++i;
                    continue;
                }
                if (i < line.size() && line[i] == '}') {
                    ++i;
                    break;
                }
                return QStringLiteral("expected ',' or '}' after a label");
            }
        }
        // value [timestamp], separated by blanks (spaces and tabs only: "\r" stays part of the token)
        const QList<QByteArray> rest = splitBlanks(line.mid(i));
        if (rest.isEmpty() || rest.first().isEmpty() || (i < line.size() && !isBlank(line[i])))
            return QStringLiteral("expected a blank and a value after the metric name");
        const auto value = parseFloat(rest.first());
        if (!value)
            return QStringLiteral("expected float as value, got \"%1\"")
                .arg(QString::fromUtf8(rest.first().left(64)));
        s.value = *value;
        if (rest.size() > 2)
            return QStringLiteral("unexpected text after the timestamp");
        if (rest.size() == 2) {
            bool ok = false;
            const qint64 ts = rest[1].toLongLong(&ok);
            if (!ok)
                return QStringLiteral("expected integer as timestamp, got \"%1\"")
                    .arg(QString::fromUtf8(rest[1].left(64)));
            s.timestampMs = ts;
        }
        const QString family = familyOf(s.name, m_types);
        m_sampled.insert(family);
        m_sampled.insert(s.name);
        PromFamily &f = familyNamed(family);
        if (f.type == MetricType::Histogram && s.name.endsWith(QLatin1String("_bucket")) &&
            s.label(QStringLiteral("le")).isNull())
            return QStringLiteral("histogram bucket without an \"le\" label");
        if (f.type == MetricType::Summary && s.name == family && s.label(QStringLiteral("quantile")).isNull())
            return QStringLiteral("summary sample without a \"quantile\" label");
        f.samples << s;
        return std::nullopt;
    }

    const QByteArray &m_text;
    Exposition m_out;
    QHash<QString, int> m_index;
    QHash<QString, MetricType> m_types;
    QSet<QString> m_helped;
    QSet<QString> m_sampled;
};

bool matches(const PromSample &s, const Labels &where)
{
    return std::all_of(where.begin(), where.end(),
                       [&s](const QPair<QString, QString> &l) { return s.label(l.first) == l.second; });
}

} // namespace

QString PromSample::label(const QString &labelName) const
{
    for (const auto &l : labels) {
        if (l.first == labelName)
            return l.second;
    }
    return QString();
}

const PromFamily *Exposition::family(const QString &name) const
{
    for (const PromFamily &f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

QList<const PromSample *> Exposition::samples(const QString &sampleName, const Labels &where) const
{
    QList<const PromSample *> out;
    for (const PromFamily &f : families) {
        if (!sampleName.startsWith(f.name))
            continue;
        for (const PromSample &s : f.samples) {
            if (s.name == sampleName && matches(s, where))
                out << &s;
        }
    }
    return out;
}

std::optional<double> Exposition::value(const QString &sampleName, const Labels &where) const
{
    const auto found = samples(sampleName, where);
    return found.isEmpty() ? std::nullopt : std::optional<double>(found.first()->value);
}

std::optional<double> Exposition::sum(const QString &sampleName, const Labels &where) const
{
    const auto found = samples(sampleName, where);
    if (found.isEmpty())
        return std::nullopt;
    double total = 0;
    for (const PromSample *s : found)
        total += s->value;
    return total;
}

Result<Exposition> parsePrometheusText(const QByteArray &text)
{
    return Parser(text).run();
}

std::optional<double> histogramQuantile(double q, QList<QPair<double, double>> buckets)
{
    if (buckets.isEmpty() || !(q >= 0 && q <= 1))
        return std::nullopt;
    std::sort(buckets.begin(), buckets.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    if (!std::isinf(buckets.last().first))
        return std::nullopt;
    const double total = buckets.last().second;
    if (!(total > 0))
        return std::nullopt;
    const double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (qsizetype i = 0; i < buckets.size(); ++i) {
        const auto &[upper, count] = buckets[i];
        if (count >= rank) {
            if (std::isinf(upper))
                return i > 0 ? std::optional<double>(buckets[i - 1].first)
                             : std::nullopt; // +Inf: its lower bound
            if (i == 0 && upper <= 0)
                return upper;
            const double inBucket = count - lowerCount;
            return inBucket > 0 ? lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket : upper;
        }
        lowerBound = upper;
        lowerCount = count;
    }
    return std::nullopt;
}

} // namespace cachewise::sources
