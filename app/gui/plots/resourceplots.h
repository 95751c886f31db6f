// The Resources page's plots (QCustomPlot stays in this folder): CPU %, memory with
// its limit and OOM kills, pids with pids.max, CPU throttling. The x axis scrolls:
// it shows the last `window` seconds, labelled in seconds before now.
#pragma once

#include "containerdata.h"

#include <QWidget>

#include <array>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPItemText;
class QCPTextElement;

namespace hood::gui {

class AgoTicker;

class ResourcePlots : public QWidget {
    Q_OBJECT

public:
    explicit ResourcePlots(QWidget *parent = nullptr);

    // Rebuilds every graph from the history (a container was selected, pause ended).
    void setHistory(const ResourceHistory *history, double now);
    // Adds the points newer than the last one drawn, then replots.
    void append(const ResourceHistory &history, double now);
    void setWindowSeconds(double seconds);
    double windowSeconds() const { return m_window; }
    void setLineWidth(double width);
    void applyPalette();
    // "cpu", "memory", "pids", "throttling": outlines that plot.
    bool highlight(const QString &key);

    bool savePng(const QString &path);
    bool savePdf(const QString &path);

    int pointCount() const;        // points in the CPU graph
    double lastReplotMs() const { return m_lastReplotMs; }
    QCustomPlot *plot() const { return m_plot; }

signals:
    void replotted(double ms);

protected:
    // Palette (light, dark, high contrast) and font (presentation) changes reach the
    // plot's own colours and fonts.
    void changeEvent(QEvent *event) override;

private:
    struct Texts {
        QString title;     // short: it must fit a half-width panel at twice the font
        QString key;       // what the dashed and dotted lines mean, wrapped to the width
        QString unit;      // the y axis label...
        QString shortUnit; // ...and the one used when the panel is too low for it
    };
    struct Panel {
        Texts texts;
        QSize fitted; // the panel size the texts were last fitted to
        QCPAxisRect *rect = nullptr;
        QCPGraph *graph = nullptr;
        QCPGraph *limit = nullptr; // a flat line at the limit, when there is one
        QCPTextElement *title = nullptr;
        QCPTextElement *key = nullptr;
        AgoTicker *ticker = nullptr;
    };
    Panel makePanel(int row, int column, const Texts &texts);
    QSize panelSize(const Panel &p) const;
    bool needsFit() const;
    void fitTexts();
    void addPoints(const ResourceHistory &h, qsizetype from);
    void updateLimits(const ResourceHistory &h, double now);
    void makeOomMarks();
    void addOomMarks(const ResourceHistory &h);
    void rescale(double now);
    void replot();

    QCustomPlot *m_plot;
    Panel m_cpu, m_memory, m_pids, m_throttle;
    const std::array<Panel *, 4> m_panels {&m_cpu, &m_memory, &m_pids, &m_throttle};
    QCPGraph *m_memoryPeak = nullptr; // a dotted line at the highest use seen
    double m_firstTime = -1;
    double m_window = 120;
    double m_lastTime = -1;
    QCPGraph *m_oomKills = nullptr;   // a vertical line at each OOM kill
    QCPItemText *m_oomLabel = nullptr; // "3 OOM kills" at the latest
    qsizetype m_oomDrawn = 0;
    double m_lineWidth = 1.5;
    double m_lastReplotMs = 0;
    QString m_highlight;
};

} // namespace hood::gui
