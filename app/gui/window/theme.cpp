#include "theme.h"

#include <QFontDatabase>
#include <QGuiApplication>

namespace hood::gui::theme {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

namespace {
QColor pick(const QPalette &p, const char *light, const char *dark)
{
    return QColor(isDark(p) ? dark : light);
}
} // namespace

QColor sharedFill(const QPalette &p)
{
    return pick(p, "#d9e2ec", "#3b4654");
}

QColor privateFill(const QPalette &p)
{
    return pick(p, "#c8efc5", "#23562f");
}

QColor groupFill(const QPalette &p)
{
    return pick(p, "#f6e2b3", "#5e4a1a");
}

QColor addedFill(const QPalette &p)
{
    return pick(p, "#fff0b3", "#5a4d12");
}

// dive's colours for a layer's changes: green added, yellow modified, red removed;
// as fills, with the word beside them.
QColor layerAddedFill(const QPalette &p)
{
    return pick(p, "#c8efc5", "#23562f");
}

QColor layerModifiedFill(const QPalette &p)
{
    return pick(p, "#ffe9a8", "#5e4a1a");
}

QColor layerDeletedFill(const QPalette &p)
{
    return pick(p, "#ffcdd2", "#6b2a2a");
}

QColor writableFill(const QPalette &p)
{
    return pick(p, "#d6e6ff", "#1f3a5f");
}

QColor alertColor(const QPalette &p)
{
    return pick(p, "#c62828", "#ff6b6b");
}

QColor accentColor(const QPalette &p, int index)
{
    static const char *light[] = {"#1565c0", "#2e7d32", "#6a1b9a", "#e65100"};
    static const char *dark[] = {"#64b5f6", "#81c784", "#ce93d8", "#ffb74d"};
    return QColor(isDark(p) ? dark[index % 4] : light[index % 4]);
}

QFont monospaceFont()
{
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setPointSizeF(QGuiApplication::font().pointSizeF());
    return f;
}

namespace {

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor("#f3f3f3"));
    p.setColor(QPalette::WindowText, QColor("#1d1d1d"));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor("#f0f3f7"));
    p.setColor(QPalette::Text, QColor("#1d1d1d"));
    p.setColor(QPalette::Button, QColor("#eaeaea"));
    p.setColor(QPalette::ButtonText, QColor("#1d1d1d"));
    p.setColor(QPalette::Highlight, QColor("#1565c0"));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor("#ffffe8"));
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor("#6d6d6d"));
    p.setColor(QPalette::Link, QColor("#1565c0"));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor("#8a8a8a"));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor("#8a8a8a"));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor("#8a8a8a"));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor("#2b2d30"));
    p.setColor(QPalette::WindowText, QColor("#e6e6e6"));
    p.setColor(QPalette::Base, QColor("#1e1f22"));
    p.setColor(QPalette::AlternateBase, QColor("#26282b"));
    p.setColor(QPalette::Text, QColor("#e6e6e6"));
    p.setColor(QPalette::Button, QColor("#3a3c40"));
    p.setColor(QPalette::ButtonText, QColor("#e6e6e6"));
    p.setColor(QPalette::Highlight, QColor("#3d7bd9"));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor("#3a3c40"));
    p.setColor(QPalette::ToolTipText, QColor("#e6e6e6"));
    p.setColor(QPalette::PlaceholderText, QColor("#9a9a9a"));
    p.setColor(QPalette::Link, QColor("#64b5f6"));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor("#7a7a7a"));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor("#7a7a7a"));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor("#7a7a7a"));
    return p;
}

void makeHighContrast(QPalette &p, bool dark)
{
    const QColor fg = dark ? Qt::white : Qt::black;
    const QColor bg = dark ? Qt::black : Qt::white;
    for (auto role : {QPalette::Window, QPalette::Base, QPalette::Button, QPalette::AlternateBase})
        p.setColor(role, bg);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(role, fg);
    p.setColor(QPalette::Highlight, dark ? QColor("#ffd600") : QColor("#0033cc"));
    p.setColor(QPalette::HighlightedText, dark ? Qt::black : Qt::white);
}

} // namespace

QPalette paletteFor(Scheme scheme, bool highContrast, const QPalette &system)
{
    QPalette p = scheme == Scheme::Light ? lightPalette() : scheme == Scheme::Dark ? darkPalette() : system;
    if (highContrast)
        makeHighContrast(p, isDark(p));
    return p;
}

} // namespace hood::gui::theme
