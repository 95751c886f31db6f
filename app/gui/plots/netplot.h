// The Network page's plot (QCustomPlot stays in this folder): received and sent
// bytes per second of one interface (left axis) and packets per second (right
// axis), over the last minute; the page feeds it counter readings.
#pragma once

#include <QWidget>

#include <cstdint>

class QCustomPlot;

namespace hood::gui {

class NetPlot : public QWidget {
    Q_OBJECT

public:
    explicit NetPlot(QWidget *parent = nullptr);

    // Forgets the curves (another interface was chosen).
    void reset(const QString &title);
    // A reading of the interface's counters at `seconds`; rates come from the
    // difference with the previous reading.
    void addReading(double seconds, uint64_t rxBytes, uint64_t txBytes, uint64_t rxPackets, uint64_t txPackets);
    int pointCount() const;
    QCustomPlot *plot() const { return m_plot; }

private:
    QCustomPlot *m_plot;
    double m_lastAt = -1;
    uint64_t m_last[4] = {};
};

} // namespace hood::gui
