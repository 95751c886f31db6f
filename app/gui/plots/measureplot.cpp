#include "measureplot.h"

#include <QResizeEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace hood::gui {

namespace {

constexpr double kBarWidth = 0.6;

void styleAxis(QCPAxis *axis, const QPalette &pal, const QFont &font)
{
    const QColor text = pal.color(QPalette::Text);
    axis->setBasePen(QPen(text, 1));
    axis->setTickPen(QPen(text, 1));
    axis->setSubTickPen(QPen(text, 1));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
    axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
}

} // namespace

QString wrapLabel(const QString &text, const QFontMetrics &metrics, int width, int maxLines)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(' ', Qt::SkipEmptyParts)) {
        const QString longer = line.isEmpty() ? word : line + ' ' + word;
        if (line.isEmpty() || metrics.horizontalAdvance(longer) <= width) {
            line = longer;
            continue;
        }
        lines << line;
        line = word;
    }
    if (!line.isEmpty())
        lines << line;
    if (lines.size() > maxLines) {
        const QString rest = QStringList(lines.mid(maxLines - 1)).join(' ');
        lines = lines.mid(0, maxLines - 1);
        lines << rest;
    }
    // Only a word longer than the whole width, or what is past the last line, is cut.
    for (QString &l : lines)
        l = metrics.elidedText(l, Qt::ElideRight, width);
    return lines.join('\n');
}

QString formatMeasure(double value, const QString &unit)
{
    const int decimals = value >= 100 || value == 0 ? 0 : value >= 10 ? 1 : 2;
    const QString number = QString::number(value, 'f', decimals);
    return unit.isEmpty() ? number : number + ' ' + unit;
}

MeasurePlot::MeasurePlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("measurePlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions({});
}

int MeasurePlot::valueWidth() const
{
    const QFontMetrics metrics(font());
    int widest = 0;
    for (const MeasureBar &b : m_bars)
        widest = std::max(widest, metrics.horizontalAdvance(formatMeasure(b.value, m_unit) + "  "));
    return widest;
}

int MeasurePlot::labelWidth() const
{
    // Not quite half the plot for the labels, the rest for the bars and their
    // values; in a narrow dock the labels give way (they wrap) so the values fit.
    const int ch = fontMetrics().averageCharWidth();
    const int forValues = width() - valueWidth() - 3 * ch - 5 * ch; // the axis' margins, a short bar
    return std::max(8 * ch, std::min(width() * 9 / 20, forValues));
}

QString MeasurePlot::label(int bar) const
{
    return wrapLabel(m_bars[bar].label, fontMetrics(), labelWidth(), 3);
}

QSize MeasurePlot::sizeHint() const
{
    const int line = fontMetrics().height();
    // A bar's label lines and half a line more each, and room for the value axis
    // (its line and ticks; the unit is in every bar's value).
    double rows = 0;
    for (int i = 0; i < m_bars.size(); ++i)
        rows += 0.6 + double(label(i).count('\n') + 1);
    return {320, int(line * (2 + std::max(1.6, rows)))};
}

void MeasurePlot::setBars(const QList<MeasureBar> &bars, const QString &unit)
{
    m_bars = bars;
    m_unit = unit;
    setMinimumHeightForLabels();
    rebuild();
    updateGeometry();
}

void MeasurePlot::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        setMinimumHeightForLabels();
        rebuild();
    }
}

void MeasurePlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (event->oldSize().width() == width())
        return;
    // Labels wrap to the width, so the height may have to change with it.
    if (setMinimumHeightForLabels())
        updateGeometry();
    rebuild();
}

bool MeasurePlot::setMinimumHeightForLabels()
{
    const int h = sizeHint().height();
    if (h == minimumHeight())
        return false;
    setMinimumHeight(h);
    return true;
}

void MeasurePlot::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const QPalette pal = palette();
    m_plot->setBackground(pal.base());
    QCPAxis *rows = m_plot->yAxis;
    QCPAxis *values = m_plot->xAxis;
    styleAxis(rows, pal, font());
    styleAxis(values, pal, font());
    rows->grid()->setVisible(false);
    rows->setRangeReversed(true);
    rows->setTickLength(0, 0);
    rows->setSubTicks(false);
    const int n = int(m_bars.size());
    rows->setRange(-0.6, std::max(1, n) - 0.4);
    double top = 0;
    for (const MeasureBar &b : m_bars)
        top = std::max(top, b.value);
    // Room after the longest bar for the widest value ("63.0 packets" in a
    // presentation font ran past the dock's edge with a fixed margin).
    const int text = valueWidth();
    const int axis = std::max(1, width() - labelWidth() - fontMetrics().averageCharWidth() * 3);
    const double room = double(axis) / std::max(axis - text, axis / 5);
    values->setRange(0, std::max(top, 1e-9) * std::max(1.3, room));
    // Each bar carries its value and unit; tick labels only ran into each other in
    // the dock's width (tried at 1920x1080 in presentation mode).
    values->setTickLabels(false);
    values->setLabel({}); // "ms" under the axis took a line the values already say
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys, lengths;
    // A label wider than its column would push the bars out of the dock:
    // it wraps onto more lines instead.
    for (int i = 0; i < n; ++i) {
        ticker->addTick(i, label(i));
        keys << i;
        lengths << m_bars[i].value;
    }
    rows->setTicker(ticker);
    auto *bars = new QCPBars(rows, values);
    bars->setWidth(kBarWidth);
    const QColor fill = pal.color(QPalette::Highlight);
    bars->setBrush(fill);
    bars->setPen(QPen(fill.darker(130), 1));
    bars->setData(keys, lengths, true);
    for (int i = 0; i < n; ++i) {
        auto *label = new QCPItemText(m_plot);
        label->position->setCoords(m_bars[i].value + top / 100, i);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setFont(font());
        label->setColor(pal.color(QPalette::Text));
        label->setText(formatMeasure(m_bars[i].value, m_unit));
        label->setClipToAxisRect(false);
    }
    m_plot->replot();
}

} // namespace hood::gui
