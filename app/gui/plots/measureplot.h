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
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override; // labels are elided to the width

private:
    void rebuild();

    QCustomPlot *m_plot;
    QList<MeasureBar> m_bars;
    QString m_unit;
};

// "8200 ms", "48.4", "1.2 s".
QString formatMeasure(double value, const QString &unit);

} // namespace hood::gui
