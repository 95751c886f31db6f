// Colours that carry meaning (shared / private, added mount, OOM) chosen for the
// current palette, so they read well in light and dark themes and in the
// high-contrast presentation mode. Meaning is never carried by colour alone: every
// use of these also shows a word.
#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

namespace hood::gui::theme {

bool isDark(const QPalette &palette);

QColor sharedFill(const QPalette &palette);  // a namespace shared with the host
QColor privateFill(const QPalette &palette); // a namespace of its own
QColor groupFill(const QPalette &palette);   // shared by containers, not the host
QColor addedFill(const QPalette &palette);   // a mount the host does not have
QColor layerAddedFill(const QPalette &palette);    // a layer's added file (dive: green)
QColor layerModifiedFill(const QPalette &palette); // a layer's modified file (dive: yellow)
QColor layerDeletedFill(const QPalette &palette);  // a layer's deleted file (dive: red)
QColor writableFill(const QPalette &palette);      // the container's writable layer
QColor alertColor(const QPalette &palette);  // limit lines, OOM marks
QColor accentColor(const QPalette &palette, int index); // plot series

// A monospace font at the application font's size (terminal, commands, JSON).
QFont monospaceFont();

// Presentation mode: bigger fonts, thicker lines, high contrast.
struct Presentation {
    bool on = false;
    double fontScale = 1.0; // 1.5 .. 2 when on
    double lineWidth() const { return on ? 3.0 : 1.5; }
};

// Light, dark or the desktop's palette; high contrast makes black on white (or the
// reverse in dark mode) with saturated accents.
enum class Scheme { System, Light, Dark };
QPalette paletteFor(Scheme scheme, bool highContrast, const QPalette &system);

} // namespace hood::gui::theme
