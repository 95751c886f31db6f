// A lesson's diagram large, in a window of its own: drawn to the window's size (an
// SVG stays sharp at any size), its description under it. In the dock a diagram is
// as narrow as the step's text, and its labels are too small to read on a projector.
// Escape, the Close button or a click on the diagram closes it.
#pragma once

#include <QDialog>
#include <QImage>

class QSvgRenderer;

namespace hood::gui {

class DiagramCanvas : public QWidget {
    Q_OBJECT

public:
    explicit DiagramCanvas(const QString &path, QWidget *parent = nullptr);
    bool isValid() const;
    // The diagram's own size (an SVG's viewBox, an image's pixels).
    QSize naturalSize() const;
    // Where paintEvent draws it: as large as the widget allows, its proportions kept.
    QRect drawnRect() const;

signals:
    void clicked();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QSvgRenderer *m_svg = nullptr; // for .svg files
    QImage m_image;                // for the others
};

class DiagramDialog : public QDialog {
    Q_OBJECT

public:
    // Sized to most of `parent`'s window (or of its screen without one).
    DiagramDialog(const QString &path, const QString &caption, QWidget *parent = nullptr);
    DiagramCanvas *canvas() const { return m_canvas; }

private:
    DiagramCanvas *m_canvas;
};

} // namespace hood::gui
