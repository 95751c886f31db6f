#include "startuppage.h"

#include "plots/startupplot.h"

#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

enum Column { Phase, Steps, Time, Share, ColumnCount };

QLabel *makeLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

StartupPage::StartupPage(QWidget *parent) : QWidget(parent)
{
    auto *v = new QVBoxLayout(this);
    m_stack = new QStackedWidget(this);
    v->addWidget(m_stack);

    m_message = makeLabel(m_stack);
    m_message->setObjectName("startup-message");
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(24);
    m_stack->addWidget(m_message);

    auto *content = new QWidget(m_stack);
    auto *c = new QVBoxLayout(content);
    c->setContentsMargins(0, 0, 0, 0);
    m_caption = makeLabel(content);
    m_caption->setObjectName("startup-caption");
    m_caption->setToolTip(tr("What `hoodctl run` (like `docker run`) did, step by step. Point at a row of the "
                             "plot for the whole step: its arguments, result, phase and process."));
    m_legend = makeLabel(content);
    m_legend->setObjectName("startup-legend");
    c->addWidget(m_caption);
    c->addWidget(m_legend);
    auto *split = new QSplitter(Qt::Horizontal, content);
    auto *scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_plot = new StartupPlot;
    scroll->setWidget(m_plot);
    m_totals = new QTableWidget(0, ColumnCount, split);
    m_totals->setObjectName("startup-totals");
    m_totals->setHorizontalHeaderLabels({tr("Phase"), tr("Steps"), tr("Time"), tr("Share")});
    m_totals->verticalHeader()->hide();
    m_totals->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_totals->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_totals->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_totals->horizontalHeader()->setStretchLastSection(false);
    m_totals->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_totals->setToolTip(tr("The time of a phase is the sum of its steps' durations; the rest of the "
                            "launch is waiting (for the monitor, the init and hoodctl itself)."));
    split->addWidget(scroll);
    split->addWidget(m_totals);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setChildrenCollapsible(false);
    c->addWidget(split, 1);
    m_stack->addWidget(content);
    showNothing(tr("Select a container to see how its start went, step by step."));
}

void StartupPage::showNothing(const QString &why)
{
    m_id.clear();
    m_shownSteps = -1;
    m_message->setText(why.toHtmlEscaped());
    m_stack->setCurrentWidget(m_message);
}

void StartupPage::showTrace(const QString &id, const StartTrace &trace)
{
    const bool same = id == m_id && trace.totalUs == m_shownTotal && trace.steps.size() == m_shownSteps;
    if (same && hasTrace())
        return;
    m_id = id;
    m_shownTotal = trace.totalUs;
    m_shownSteps = trace.steps.size();
    if (trace.steps.isEmpty()) {
        m_message->setText(tr("The engine recorded no steps for the start of %1.").arg(id.toHtmlEscaped()));
        m_stack->setCurrentWidget(m_message);
        return;
    }
    const int failed = trace.failedCount();
    const int steps = int(trace.steps.size());
    const QString count = steps == 1 ? tr("1 step") : tr("%1 steps").arg(steps);
    // One line at presentation size: what the page is, in the words of the issue.
    QString text = tr("<b>How %1 started</b>: %2 in %3, in the monitor, then in the container's init")
                       .arg(id.toHtmlEscaped(), count, formatMicros(trace.totalUs));
    text += failed == 0 ? QStringLiteral(".")
                        : failed == 1 ? tr("; 1 failed (\u2717).") : tr("; %1 failed (\u2717).").arg(failed);
    m_caption->setText(text);
    m_legend->setText(legendHtml(trace));
    m_plot->setTrace(trace);
    fillTotals(trace);
    m_stack->setCurrentIndex(1);
}

// Colour is never the only key: each swatch has the phase's name beside it, and
// the table and the tooltips name the phase too.
QString StartupPage::legendHtml(const StartTrace &trace) const
{
    QStringList items;
    for (const PhaseTotal &t : trace.phaseTotals()) {
        const StartPhase &phase = startPhase(t.phase);
        items << QStringLiteral("<span style=\"background-color:%1\">&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;%2")
                     .arg(phase.color.name(), QString::fromLatin1(phase.title));
    }
    return tr("Phases: ") + items.join(QStringLiteral(" &nbsp; "));
}

void StartupPage::fillTotals(const StartTrace &trace)
{
    const QVector<PhaseTotal> totals = trace.phaseTotals();
    m_totals->setRowCount(int(totals.size()));
    for (int r = 0; r < totals.size(); ++r) {
        const PhaseTotal &t = totals[r];
        const StartPhase &phase = startPhase(t.phase);
        auto *name = cell(QString::fromLatin1(phase.title), Qt::AlignLeft | Qt::AlignVCenter);
        name->setData(Qt::DecorationRole, phase.color);
        name->setToolTip(QString::fromLatin1(phase.explanation));
        m_totals->setItem(r, Phase, name);
        m_totals->setItem(r, Steps, cell(t.failed ? tr("%1 (%2 \u2717)").arg(t.steps).arg(t.failed) : QString::number(t.steps)));
        m_totals->setItem(r, Time, cell(formatMicros(t.us)));
        const double share = trace.totalUs > 0 ? 100 * t.us / trace.totalUs : 0;
        m_totals->setItem(r, Share, cell(QStringLiteral("%1 %").arg(share, 0, 'f', share < 10 ? 1 : 0)));
    }
    fitTotals();
}

// The table is as wide as its columns and no wider: the waterfall needs the room.
void StartupPage::fitTotals()
{
    m_totals->resizeColumnsToContents();
    int width = 2 * m_totals->frameWidth() + m_totals->verticalScrollBar()->sizeHint().width() + 2;
    for (int c = 0; c < ColumnCount; ++c)
        width += m_totals->columnWidth(c);
    m_totals->setFixedWidth(width);
}

void StartupPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitTotals();
}

bool StartupPage::hasTrace() const
{
    return m_stack->currentIndex() == 1;
}

QString StartupPage::message() const
{
    return m_message->text();
}

QString StartupPage::caption() const
{
    return m_caption->text();
}

} // namespace hood::gui
