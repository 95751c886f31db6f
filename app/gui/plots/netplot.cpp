#include "netplot.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

namespace hood::gui {

namespace {
constexpr double kWindowSeconds = 60;
}

NetPlot::NetPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_plot);
    m_plot->setMinimumHeight(180);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, tr("Select an interface"), QFont()));
    const struct {
        QString name;
        QColor color;
        bool packets;
    } graphs[] = {{tr("rx bytes/s"), QColor(0x33, 0x77, 0xbb), false},
                  {tr("tx bytes/s"), QColor(0xcc, 0x66, 0x22), false},
                  {tr("rx packets/s"), QColor(0x33, 0x77, 0xbb), true},
                  {tr("tx packets/s"), QColor(0xcc, 0x66, 0x22), true}};
    for (const auto &g : graphs) {
        QCPGraph *graph = m_plot->addGraph(m_plot->xAxis, g.packets ? m_plot->yAxis2 : m_plot->yAxis);
        QPen pen(g.color, 2, g.packets ? Qt::DashLine : Qt::SolidLine);
        graph->setPen(pen);
        graph->setName(g.name);
    }
    m_plot->yAxis2->setVisible(true);
    m_plot->xAxis->setLabel(tr("seconds"));
    m_plot->yAxis->setLabel(tr("bytes/s (solid)"));
    m_plot->yAxis2->setLabel(tr("packets/s (dashed)"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
}

void NetPlot::reset(const QString &title)
{
    for (int i = 0; i < m_plot->graphCount(); ++i)
        m_plot->graph(i)->data()->clear();
    m_lastAt = -1;
    if (auto *t = qobject_cast<QCPTextElement *>(m_plot->plotLayout()->element(0, 0)))
        t->setText(title);
    m_plot->replot();
}

void NetPlot::addReading(double at, uint64_t rxBytes, uint64_t txBytes, uint64_t rxPackets, uint64_t txPackets)
{
    const uint64_t now[4] = {rxBytes, txBytes, rxPackets, txPackets};
    if (m_lastAt >= 0 && at > m_lastAt) {
        for (int i = 0; i < 4; ++i) {
            // A counter that went back is a new interface of the same name: no spike.
            double rate = now[i] >= m_last[i] ? double(now[i] - m_last[i]) / (at - m_lastAt) : 0;
            m_plot->graph(i)->addData(at, rate);
            m_plot->graph(i)->data()->removeBefore(at - kWindowSeconds);
        }
        m_plot->xAxis->setRange(at - kWindowSeconds, at);
        m_plot->yAxis->rescale();
        m_plot->yAxis2->rescale();
        m_plot->yAxis->setRangeLower(0);
        m_plot->yAxis2->setRangeLower(0);
        m_plot->yAxis->setRangeUpper(std::max(m_plot->yAxis->range().upper * 1.1, 100.0));
        m_plot->yAxis2->setRangeUpper(std::max(m_plot->yAxis2->range().upper * 1.1, 2.0));
        m_plot->replot();
    }
    m_lastAt = at;
    std::copy(now, now + 4, m_last);
}

int NetPlot::pointCount() const
{
    return m_plot->graph(0)->dataCount();
}

} // namespace hood::gui
