// Start-up: what `docker run` (here `hoodctl run`) does, step by step. A waterfall of
// the selected container's start from its trace.json, a legend of the phases, and
// the time each phase took. Without a trace it says why, in a sentence.
#pragma once

#include "starttrace.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace hood::gui {

class StartupPlot;

class StartupPage : public QWidget {
    Q_OBJECT

public:
    explicit StartupPage(QWidget *parent = nullptr);

    // The same trace for the same container again changes nothing (the window
    // re-reads it every second while the page is on screen).
    void showTrace(const QString &id, const StartTrace &trace);
    void showNothing(const QString &why);

    bool hasTrace() const;
    QString message() const;
    QString caption() const;
    StartupPlot *plot() const { return m_plot; }
    QTableWidget *totals() const { return m_totals; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void fillTotals(const StartTrace &trace);
    void fitTotals();
    QString legendHtml(const StartTrace &trace) const;

    QStackedWidget *m_stack;
    QLabel *m_message;
    QLabel *m_caption;
    QLabel *m_legend;
    StartupPlot *m_plot;
    QTableWidget *m_totals;
    QString m_id;
    double m_shownTotal = -1;
    qsizetype m_shownSteps = -1;
};

} // namespace hood::gui
