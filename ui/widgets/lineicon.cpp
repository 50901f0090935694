// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/widgets/lineicon.h"

#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace cachewise::ui {
namespace {

QPixmap render(const QByteArray &svg, const QColor &color, int size)
{
    QByteArray colored = svg;
    colored.replace("currentColor", color.name().toLatin1());
    QSvgRenderer renderer(colored);
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    if (!renderer.isValid())
        return pixmap;
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    return pixmap;
}

} // namespace

QIcon lineIcon(const QString &name, const QColor &color, const QColor &selectedColor)
{
    QFile file(QStringLiteral(":/ui-icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    QIcon icon;
    for (const int size : {16, 20, 24, 32, 40, 48}) {
        icon.addPixmap(render(svg, color, size), QIcon::Normal);
        icon.addPixmap(render(svg, selectedColor, size), QIcon::Selected);
    }
    return icon;
}

} // namespace cachewise::ui
