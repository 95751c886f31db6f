// The Start-up page's waterfall (QCustomPlot stays in this folder): one row per step
// of a container's start, a bar from its start to its end on a time axis in
// milliseconds, coloured by phase, the op and its arguments as the row's label, the
// duration after the bar, failed steps marked with a cross and their error. Every
// row's tooltip has the whole step.
#pragma once

#include "starttrace.h"

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QMouseEvent;

namespace hood::gui {

class StartupPlot : public QWidget {
    Q_OBJECT

public:
    explicit StartupPlot(QWidget *parent = nullptr);

    void setTrace(const StartTrace &trace);
    const StartTrace &trace() const { return m_trace; }
    // The row's label as drawn (elided to fit); for the tests.
    QString rowLabel(int row) const;
    // The tooltip of the row at a point of this widget; empty off the rows.
    QString toolTipAt(const QPoint &pos) const;
    // The height that gives every row a readable line at the current font.
    int preferredHeight() const;
    QCustomPlot *plot() const { return m_plot; }

    // Every row readable: the page scrolls when the start has more steps than fit.
    QSize minimumSizeHint() const override { return {240, preferredHeight()}; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void applyLabels();
    void showToolTip(QMouseEvent *event);
    int rowAt(const QPoint &pos) const;
    int labelWidth() const;

    QCustomPlot *m_plot;
    StartTrace m_trace;
    QStringList m_fullLabels;
    int m_labelWidth = -1; // what the labels were elided to
};

// The tooltip of one step: what it did, how it ended, when, how long, in which process.
QString stepToolTip(const StartStep &step);

} // namespace hood::gui
