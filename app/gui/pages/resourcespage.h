// Resources: live plots of the selected container's cgroup, a scrolling window,
// pause, and export to PNG, PDF and CSV.
#pragma once

#include "containerdata.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace hood::gui {

class ResourcePlots;

class ResourcesPage : public QWidget {
    Q_OBJECT

public:
    explicit ResourcesPage(QWidget *parent = nullptr);

    // A different container (or none): redraw from its history.
    void showHistory(const ResourceHistory *history, double now);
    // The same container has new samples.
    void update(const ResourceHistory &history, double now);
    bool paused() const;
    ResourcePlots *plots() const { return m_plots; }
    QString caption() const; // the facts line above the plots, as plain text

signals:
    // The page never keeps a history pointer (the sampler's storage moves); it asks.
    void redrawRequested();
    void historyWanted(const hood::gui::ResourceHistory **history);

private:
    void exportTo(const QString &format);
    void setCaption(const ResourceHistory *h);

    ResourcePlots *m_plots;
    QComboBox *m_window;
    QPushButton *m_pause;
    QLabel *m_caption;
    QString m_id;
    double m_now = 0;
};

// The history as CSV: time_s,cpu_percent,memory_bytes,pids,throttled_ms_per_s
QString historyCsv(const ResourceHistory &history);

} // namespace hood::gui
