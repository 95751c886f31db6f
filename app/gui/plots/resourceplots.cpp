#include "resourceplots.h"

#include "theme.h"

#include <QElapsedTimer>
#include <QFontMetrics>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace hood::gui {

// Ticks back from now, labelled "-30 s" ... "now", at a round step (5 s, 10 s,
// 30 s, 1 min...) coarse enough that the labels never touch: how many fit depends
// on the axis width and the font, which presentation mode makes twice as big.
class AgoTicker : public QCPAxisTicker {
public:
    void setNow(double now)
    {
        m_now = now;
        setTickOrigin(now);
    }
    void setMaxTicks(int count) { m_maxTicks = std::max(2, count); }

protected:
    double getTickStep(const QCPRange &range) override
    {
        static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
        for (double step : steps) {
            if (std::floor(range.size() / step) + 1 <= m_maxTicks)
                return step;
        }
        return 600;
    }
    int getSubTickCount(double step) override
    {
        // Sub-ticks at 5 s, 10 s, 30 s or a minute or two: never a comb.
        const double sub = step <= 5 ? step : step <= 15 ? 5 : step <= 30 ? 10 : step <= 120 ? 30 : step / 5;
        return int(std::lround(step / sub)) - 1;
    }

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
    int m_maxTicks = 5;
};

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// `text` broken into lines at spaces so that each fits `width` pixels (a word
// longer than the width stays whole); QCPTextElement neither wraps nor elides.
QString wrapped(const QString &text, const QFont &font, int width)
{
    const QFontMetrics fm(font);
    QStringList lines;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!lines.isEmpty() && fm.horizontalAdvance(lines.last() + QLatin1Char(' ') + word) <= width)
            lines.last() += QLatin1Char(' ') + word;
        else
            lines << word;
    }
    return lines.join(QLatin1Char('\n'));
}

QFont keyFont(const QFont &base)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    return f;
}

} // namespace

ResourcePlots::ResourcePlots(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_plot);
    m_plot->plotLayout()->clear();
    m_plot->setNoAntialiasingOnDrag(true);
    // Short titles; what the dashed and dotted lines mean goes on a smaller line below.
    m_cpu = makePanel(0, 0, {tr("CPU"), tr("dashed line: the quota"), tr("% of one CPU"), tr("%")});
    m_memory = makePanel(0, 1, {tr("Memory"), tr("dashed line: the limit, dotted: the peak"), tr("MiB"), tr("MiB")});
    m_pids = makePanel(1, 0, {tr("Processes"), tr("dashed line: pids.max"), tr("tasks"), tr("tasks")});
    m_throttle = makePanel(1, 1, {tr("CPU throttling"), tr("time the quota held the container back"),
                                  tr("ms held back per s"), tr("ms/s")});
    m_memoryPeak = m_plot->addGraph(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
    makeOomMarks();
    applyPalette();
}

// The OOM kills on the memory panel: one graph of vertical lines (an impulse per
// kill, higher than any axis range, so the panel clips it to its full height) and
// one label at the latest. A memory hog killed again and again gives hundreds of
// kills; an item (line and text) per kill made every replot slower, up to 100 ms
// after 30 kills (tests/bench/hogs), while a graph draws only what is in view.
void ResourcePlots::makeOomMarks()
{
    m_oomKills = m_plot->addGraph(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
    m_oomKills->setLineStyle(QCPGraph::lsImpulse);
    m_oomLabel = new QCPItemText(m_plot);
    m_oomLabel->setClipAxisRect(m_memory.rect);
    m_oomLabel->position->setAxes(m_memory.rect->axis(QCPAxis::atBottom), m_memory.rect->axis(QCPAxis::atLeft));
    m_oomLabel->position->setAxisRect(m_memory.rect);
    m_oomLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_oomLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_oomLabel->setVisible(false);
}

ResourcePlots::Panel ResourcePlots::makePanel(int row, int column, const Texts &texts)
{
    Panel p;
    p.texts = texts;
    auto *cell = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(row, column, cell);
    p.title = new QCPTextElement(m_plot, texts.title);
    QFont f = font();
    f.setBold(true);
    p.title->setFont(f);
    cell->addElement(0, 0, p.title);
    p.key = new QCPTextElement(m_plot, texts.key, keyFont(font()));
    p.key->setMargins(QMargins(2, 0, 2, 2));
    cell->addElement(1, 0, p.key);
    p.rect = new QCPAxisRect(m_plot);
    cell->addElement(2, 0, p.rect);
    cell->setRowSpacing(0);
    p.rect->axis(QCPAxis::atLeft)->setLabel(texts.unit);
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
        p->key->setTextColor(text);
        p->key->setFont(keyFont(font()));
        // Room at the right for the "now" label centred on the axis end.
        const int half = QFontMetrics(font()).horizontalAdvance(tr("now")) / 2 + 4;
        p->rect->setMinimumMargins(QMargins(0, 0, half, 0));
        p->fitted = QSize(); // a new font: fit the texts again
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
        if (p == &m_memory) {
            m_memoryPeak->setPen(QPen(c, m_lineWidth, Qt::DotLine));
            m_oomKills->setPen(QPen(theme::alertColor(pal), m_lineWidth * 1.5));
            m_oomLabel->setColor(theme::alertColor(pal));
            m_oomLabel->setFont(f);
        }
        const bool hl = p->title->text().startsWith(QStringLiteral("▶ "));
        p->rect->setBackground(hl ? QBrush(theme::addedFill(pal)) : QBrush(Qt::NoBrush));
    }
    fitTexts();
    replot();
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
        const bool on = key == QLatin1String(name);
        found = found || on;
        panel->title->setText(on ? QStringLiteral("▶ ") + panel->texts.title : panel->texts.title);
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
    m_oomKills->data()->clear();
    m_oomLabel->setVisible(false);
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
    constexpr double kAboveAnyRange = 1e9; // MiB
    if (m_oomDrawn == h.oomKillTimes.size())
        return;
    for (; m_oomDrawn < h.oomKillTimes.size(); ++m_oomDrawn)
        m_oomKills->addData(h.oomKillTimes[m_oomDrawn], kAboveAnyRange);
    const qsizetype n = h.oomKillTimes.size();
    m_oomLabel->setText(n == 1 ? tr("OOM kill ") : tr("%1 OOM kills ").arg(n));
    m_oomLabel->position->setCoords(h.oomKillTimes.last(), 0.05);
    m_oomLabel->setVisible(true);
}


void ResourcePlots::rescale(double now)
{
    // A young container fills the plot: the window starts at its first sample, but
    // spans at least 30 s so the first seconds are not stretched across the page.
    double start = now - m_window;
    if (m_firstTime >= 0 && m_firstTime > start)
        start = std::min(m_firstTime, now - 30);
    const QCPRange x(start, now);
    if (needsFit())
        fitTexts();
    for (Panel *p : {&m_cpu, &m_memory, &m_pids, &m_throttle}) {
        // Keep what the longest window can show; the sampler keeps the rest.
        p->graph->data()->removeBefore(now - 660);
        if (p == &m_memory)
            m_oomKills->data()->removeBefore(now - 660);
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

// The panel's size as the last layout left it, or an estimate (half the plot)
// before the first one.
QSize ResourcePlots::panelSize(const Panel &p) const
{
    const QSize laid = p.rect->rect().size();
    if (laid.width() > 20 && laid.height() > 20)
        return laid;
    return QSize(m_plot->width() / 2 - 80, m_plot->height() / 2 - 80);
}

// Tick count, key and axis label sized to the panel and font, so nothing overlaps
// or is cut off at 800 pixels or on a projector with doubled fonts.
void ResourcePlots::fitTexts()
{
    const QFontMetrics fm(font());
    const int label = fm.horizontalAdvance(QStringLiteral("−10 min")) + fm.horizontalAdvance(QStringLiteral("   "));
    for (Panel *p : {&m_cpu, &m_memory, &m_pids, &m_throttle}) {
        const QSize size = panelSize(*p);
        p->fitted = size;
        p->ticker->setMaxTicks(size.width() / std::max(1, label));
        p->key->setText(wrapped(p->texts.key, keyFont(font()), size.width() + 40));
        // Value labels two text lines apart at least: a low panel gets fewer.
        p->rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(std::clamp(size.height() / (2 * fm.height()), 2, 5));
        const bool longFits = fm.horizontalAdvance(p->texts.unit) <= size.height();
        p->rect->axis(QCPAxis::atLeft)->setLabel(longFits ? p->texts.unit : p->texts.shortUnit);
    }
}

bool ResourcePlots::needsFit() const
{
    return std::any_of(m_panels.begin(), m_panels.end(), [this](const Panel *p) { return p->fitted != panelSize(*p); });
}

void ResourcePlots::replot()
{
    QElapsedTimer t;
    t.start();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    // The texts were fitted to the layout before this one (a resize, a new font):
    // fit them to the new one and draw again.
    if (needsFit()) {
        fitTexts();
        m_plot->replot(QCustomPlot::rpImmediateRefresh);
    }
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
