// The lessons' bar chart (QCustomPlot stays in this folder): one horizontal bar per
// measured figure, its label on the left, its value after the bar, so a 11 ms bar
// beside an 8000 ms one still reads. Only draws the values it is given.
#pragma once

#include "measureresult.h"

#include <QWidget>

class QCustomPlot;

namespace hood::gui {

class MeasurePlot : public QWidget {
    Q_OBJECT

public:
    explicit MeasurePlot(QWidget *parent = nullptr);

    void setBars(const QList<MeasureBar> &bars, const QString &unit);
    QCustomPlot *plot() const { return m_plot; }
    QSize sizeHint() const override;
    // A bar's label as drawn: wrapped to the label column, three lines at most.
    QString label(int bar) const;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override; // labels are elided to the width

private:
    void rebuild();
    int labelWidth() const;
    int valueWidth() const; // the widest "63 packets" after a bar
    bool setMinimumHeightForLabels(); // true when it changed

    QCustomPlot *m_plot;
    QList<MeasureBar> m_bars;
    QString m_unit;
};

// `text` in lines no wider than `width` (broken between words), at most maxLines;
// only a word wider than `width`, or what does not fit the last line, is elided.
QString wrapLabel(const QString &text, const QFontMetrics &metrics, int width, int maxLines);

// "8200 ms", "48.4", "1.2 s".
QString formatMeasure(double value, const QString &unit);

} // namespace hood::gui
