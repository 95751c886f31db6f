#include "resourceplots.h"

#include "theme.h"

#include <QElapsedTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace hood::gui {

// Ticks every `step` seconds back from now, labelled "-30 s" ... "now".
class AgoTicker : public QCPAxisTicker {
public:
    void setNow(double now)
    {
        m_now = now;
        setTickOrigin(now);
    }

protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        const long ago = std::lround(m_now - tick);
        if (ago == 0)
            return QObject::tr("now");
        if (ago % 60 == 0)
            return QStringLiteral("−%1 min").arg(ago / 60);
        return QStringLiteral("−%1 s").arg(ago);
    }

private:
    double m_now = 0;
};

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

ResourcePlots::ResourcePlots(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_plot);
    m_plot->plotLayout()->clear();
    m_plot->setNoAntialiasingOnDrag(true);
    m_cpu = makePanel(0, 0, tr("CPU   (dashed: quota)"), tr("% of one CPU"));
    m_memory = makePanel(0, 1, tr("Memory   (dashed: limit, dotted: peak)"), tr("MiB"));
    m_pids = makePanel(1, 0, tr("Processes   (dashed: pids.max)"), tr("tasks"));
    m_throttle = makePanel(1, 1, tr("CPU throttling"), tr("ms held back per s"));
    m_memoryPeak = m_plot->addGraph(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
    applyPalette();
}

ResourcePlots::Panel ResourcePlots::makePanel(int row, int column, const QString &title, const QString &unit)
{
    Panel p;
    auto *cell = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(row, column, cell);
    p.title = new QCPTextElement(m_plot, title);
    QFont f = font();
    f.setBold(true);
    p.title->setFont(f);
    cell->addElement(0, 0, p.title);
    p.rect = new QCPAxisRect(m_plot);
    cell->addElement(1, 0, p.rect);
    cell->setRowSpacing(0);
    p.rect->axis(QCPAxis::atLeft)->setLabel(unit);
    p.ticker = new AgoTicker;
    p.ticker->setTickCount(4);
    p.rect->axis(QCPAxis::atBottom)->setTicker(QSharedPointer<QCPAxisTicker>(p.ticker));
    p.graph = m_plot->addGraph(p.rect->axis(QCPAxis::atBottom), p.rect->axis(QCPAxis::atLeft));
    p.limit = m_plot->addGraph(p.rect->axis(QCPAxis::atBottom), p.rect->axis(QCPAxis::atLeft));
    p.graph->setAdaptiveSampling(true);
    return p;
}

void ResourcePlots::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    m_plot->setBackground(pal.base());
    int i = 0;
    for (Panel *p : {&m_cpu, &m_memory, &m_pids, &m_throttle}) {
        p->title->setTextColor(text);
        QFont f = font();
        f.setBold(true);
        p->title->setFont(f);
        for (QCPAxis *axis : p->rect->axes()) {
            axis->setBasePen(QPen(text, 1));
            axis->setTickPen(QPen(text, 1));
            axis->setSubTickPen(QPen(text, 1));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->setTickLabelFont(font());
            axis->setLabelFont(font());
            axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
        }
        const QColor c = theme::accentColor(pal, i++);
        p->graph->setPen(QPen(c, m_lineWidth));
        QColor fill = c;
        fill.setAlpha(40);
        p->graph->setBrush(fill);
        p->limit->setPen(QPen(theme::alertColor(pal), m_lineWidth, Qt::DashLine));
        if (p == &m_memory)
            m_memoryPeak->setPen(QPen(c, m_lineWidth, Qt::DotLine));
        const bool hl = p->title->text().startsWith(QStringLiteral("▶ "));
        p->rect->setBackground(hl ? QBrush(theme::addedFill(pal)) : QBrush(Qt::NoBrush));
    }
    m_plot->replot();
}

void ResourcePlots::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyPalette();
}

void ResourcePlots::setLineWidth(double width)
{
    m_lineWidth = width;
    applyPalette();
}

void ResourcePlots::setWindowSeconds(double seconds)
{
    m_window = seconds;
}

bool ResourcePlots::highlight(const QString &key)
{
    const std::pair<const char *, Panel *> table[] = {
        {"cpu", &m_cpu}, {"memory", &m_memory}, {"pids", &m_pids}, {"throttling", &m_throttle}};
    bool found = false;
    for (const auto &[name, panel] : table) {
        QString t = panel->title->text();
        if (t.startsWith(QStringLiteral("▶ ")))
            t = t.mid(2);
        const bool on = key == QLatin1String(name);
        found = found || on;
        panel->title->setText(on ? QStringLiteral("▶ ") + t : t);
    }
    applyPalette();
    return found;
}

void ResourcePlots::setHistory(const ResourceHistory *h, double now)
{
    for (Panel *p : {&m_cpu, &m_memory, &m_pids, &m_throttle}) {
        p->graph->data()->clear();
        p->limit->data()->clear();
    }
    m_plot->clearItems();
    m_memoryPeak->data()->clear();
    m_lastTime = -1;
    m_firstTime = h && !h->points.isEmpty() ? h->points.first().time : -1;
    m_oomDrawn = 0;
    if (h) {
        addPoints(*h, 0);
        updateLimits(*h, now);
        addOomMarks(*h);
    }
    rescale(now);
    replot();
}

void ResourcePlots::append(const ResourceHistory &h, double now)
{
    // The first point newer than what is drawn; histories only grow at the end.
    qsizetype from = h.points.size();
    while (from > 0 && h.points[from - 1].time > m_lastTime)
        --from;
    addPoints(h, from);
    updateLimits(h, now);
    addOomMarks(h);
    rescale(now);
    replot();
}

void ResourcePlots::addPoints(const ResourceHistory &h, qsizetype from)
{
    for (qsizetype i = from; i < h.points.size(); ++i) {
        const ResourcePoint &p = h.points[i];
        m_cpu.graph->addData(p.time, p.cpuPercent);
        m_memory.graph->addData(p.time, p.memory / kMiB);
        m_pids.graph->addData(p.time, p.pids);
        m_throttle.graph->addData(p.time, p.throttledMsPerSec);
        m_lastTime = p.time;
        if (m_firstTime < 0)
            m_firstTime = p.time;
    }
}

void ResourcePlots::updateLimits(const ResourceHistory &h, double now)
{
    auto flat = [&](Panel &p, std::optional<double> value) {
        p.limit->data()->clear();
        if (value) {
            p.limit->addData(now - m_window * 2, *value);
            p.limit->addData(now + 1, *value);
        }
    };
    flat(m_cpu, h.cpuLimit);
    flat(m_memory, h.memoryLimit ? std::optional<double>(*h.memoryLimit / kMiB) : std::nullopt);
    flat(m_pids, h.pidsMax);
    m_memoryPeak->data()->clear();
    if (h.memoryPeak > 0) {
        m_memoryPeak->addData(now - m_window * 2, h.memoryPeak / kMiB);
        m_memoryPeak->addData(now + 1, h.memoryPeak / kMiB);
    }
    m_cpu.limit->setName(tr("quota"));
}

void ResourcePlots::addOomMarks(const ResourceHistory &h)
{
    const QPalette pal = palette();
    for (; m_oomDrawn < h.oomKillTimes.size(); ++m_oomDrawn) {
        const double t = h.oomKillTimes[m_oomDrawn];
        auto *line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(m_memory.rect);
        line->setClipToAxisRect(true);
        for (QCPItemPosition *pos : {line->point1, line->point2})
            pos->setAxes(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
        line->point1->setCoords(t, 0);
        line->point2->setCoords(t, 1);
        line->setPen(QPen(theme::alertColor(pal), m_lineWidth * 1.5));
        auto *label = new QCPItemText(m_plot);
        label->setClipAxisRect(m_memory.rect);
        label->position->setAxes(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
        label->position->setAxisRect(m_memory.rect);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(t, 0.05);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        label->setText(tr("OOM kill "));
        label->setColor(theme::alertColor(pal));
        QFont f = font();
        f.setBold(true);
        label->setFont(f);
    }
}

void ResourcePlots::rescale(double now)
{
    // A young container fills the plot: the window starts at its first sample, but
    // spans at least 30 s so the first seconds are not stretched across the page.
    double start = now - m_window;
    if (m_firstTime >= 0 && m_firstTime > start)
        start = std::min(m_firstTime, now - 30);
    const QCPRange x(start, now);
    for (Panel *p : {&m_cpu, &m_memory, &m_pids, &m_throttle}) {
        // Keep what the longest window can show; the sampler keeps the rest.
        p->graph->data()->removeBefore(now - 660);
        p->ticker->setNow(now);
        p->rect->axis(QCPAxis::atBottom)->setRange(x);
        bool found = false;
        QCPRange y = p->graph->getValueRange(found, QCP::sdBoth, x);
        double top = found ? y.upper : 0;
        bool limitFound = false;
        const QCPRange ly = p->limit->getValueRange(limitFound);
        if (limitFound)
            top = std::max(top, ly.upper);
        if (p == &m_memory && !m_memoryPeak->data()->isEmpty())
            top = std::max(top, m_memoryPeak->data()->begin()->value);
        if (p == &m_cpu)
            top = std::max(top, 100.0);
        top = std::max(top * 1.15, p == &m_memory ? 1.0 : 5.0);
        p->rect->axis(QCPAxis::atLeft)->setRange(0, top);
    }
}

void ResourcePlots::replot()
{
    QElapsedTimer t;
    t.start();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    m_lastReplotMs = double(t.nsecsElapsed()) / 1e6;
    emit replotted(m_lastReplotMs);
}

int ResourcePlots::pointCount() const
{
    return m_cpu.graph->dataCount();
}

bool ResourcePlots::savePng(const QString &path)
{
    return m_plot->savePng(path, 0, 0, 2.0);
}

bool ResourcePlots::savePdf(const QString &path)
{
    return m_plot->savePdf(path);
}

} // namespace hood::gui
