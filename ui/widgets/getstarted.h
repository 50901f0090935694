// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sources/discovery.h"

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace cachewise::ui {

// The ways in when there is nothing to show yet, each one step: connect a server running on this machine
// (found on the usual ports, which it names, with the flags a server needs), send metrics from your code
// (a project with its key and ready snippets) and, on an empty database, explore with sample data.
class GetStartedPanel final : public QWidget
{
    Q_OBJECT

public:
    enum class Scope
    {
        App,     // no project yet: all three ways
        Project, // a project without samples: its server, or its code
    };
    explicit GetStartedPanel(Scope scope, QWidget *parent = nullptr);

    // Looks on the usual ports (or CACHEWISE_DISCOVER_PORTS) and lists what answered, each with Add.
    void findServers();
    // The sample data is being loaded / was (error empty when it worked).
    void setSampleDataLoading(bool loading, const QString &error = {});
    QLabel *serversText() const { return m_serversText; }

Q_SIGNALS:
    void serverChosen(const cachewise::sources::FoundServer &server);
    void sendMetricsRequested();
    void sampleDataRequested();

private:
    // One way in: a card with its title, what it does, optionally a status line (hidden until there is
    // news) and a widget of its own, and its button at the foot (objectName NAME + "Button").
    struct Way
    {
        QString name;
        QString title;
        QString text;
        QString action;
        QLabel **status = nullptr;
        QWidget *extra = nullptr;
    };
    QPushButton *addWay(QHBoxLayout *row, const Way &way);

    Scope m_scope;
    QLabel *m_serversText;
    QPushButton *m_find;
    QVBoxLayout *m_found;
    QPushButton *m_sample = nullptr;
    QLabel *m_sampleText = nullptr;
};

} // namespace cachewise::ui
