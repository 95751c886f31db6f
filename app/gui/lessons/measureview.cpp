#include "measureview.h"

#include "measureplot.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace hood::gui {

QString blocksHtml(const QList<MeasureBlock> &blocks, int max)
{
    QString html = "<table cellspacing='0' cellpadding='3' border='1' style='border-collapse: collapse'>";
    int shown = 0;
    for (const MeasureBlock &b : blocks) {
        if (shown++ >= max)
            break;
        html += QStringLiteral("<tr><th colspan='2' align='left'>block at %1: %2 guest instructions, %3 host "
                               "instructions per guest instruction</th></tr>")
                    .arg(b.pc)
                    .arg(b.guest.size())
                    .arg(QString::number(b.ratio, 'f', 1));
        for (int i = 0; i < b.guest.size(); ++i)
            html += "<tr><td valign='top'><code>" + b.guest[i].toHtmlEscaped() + "</code></td><td><code>"
                    + b.host.value(i).join("<br>").toHtmlEscaped().replace("&lt;br&gt;", "<br>") + "</code></td></tr>";
    }
    return html + "</table>";
}

MeasureView::MeasureView(QWidget *parent)
    : QWidget(parent), m_inner(new QWidget), m_title(new QLabel), m_plot(new MeasurePlot), m_summary(new QLabel), m_method(new QLabel),
      m_blocks(new QTextBrowser)
{
    setObjectName("measureView");
    // The figures scroll on their own, so they never squeeze the step's text or
    // each other in a short dock: every bar keeps a line of its own.
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 4, 0, 4);
    auto *scroll = new QScrollArea;
    scroll->setObjectName("measureScroll");
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(m_inner);
    m_inner->installEventFilter(this);
    outer->addWidget(scroll);
    auto *layout = new QVBoxLayout(m_inner);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title->setObjectName("measureTitle");
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    for (QLabel *l : {m_summary, m_method}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_summary->setObjectName("measureSummary");
    m_method->setObjectName("measureMethod");
    m_blocks->setObjectName("measureBlocks");
    layout->addWidget(m_title);
    layout->addWidget(m_plot);
    layout->addWidget(m_summary);
    m_blocks->setMinimumHeight(fontMetrics().height() * 14);
    layout->addWidget(m_blocks, 1);
    layout->addWidget(m_method);
    layout->addStretch(0);
    clear();
}

// The chart's labels wrap once it knows its width, and may want more lines then:
// the step gives the figures their new height.
bool MeasureView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_inner && event->type() == QEvent::LayoutRequest && isVisible())
        emit changed();
    return QWidget::eventFilter(watched, event);
}

int MeasureView::preferredHeight(int width) const
{
    const QMargins m = layout()->contentsMargins();
    const QLayout *inner = m_inner->layout();
    const int h = inner->hasHeightForWidth() ? inner->totalHeightForWidth(width - m.left() - m.right())
                                             : inner->totalSizeHint().height();
    return h + m.top() + m.bottom();
}

void MeasureView::clear()
{
    m_result = {};
    hide();
    emit changed();
}

void MeasureView::showRunning(const QString &what)
{
    m_result = {};
    m_title->setText(tr("Measuring: %1 …").arg(what));
    m_plot->hide();
    m_summary->hide();
    m_method->hide();
    m_blocks->hide();
    show();
    emit changed();
}

void MeasureView::showResult(const MeasureResult &r)
{
    m_result = r;
    m_title->setText(r.title.isEmpty() ? tr("Not measured") : tr("Measured now: %1").arg(r.title));
    m_plot->setBars(r.bars, r.unit);
    m_plot->setVisible(!r.bars.isEmpty());
    m_summary->setText(r.error.isEmpty() ? r.summary : r.summary + (r.summary.isEmpty() ? "" : " ") + r.error);
    m_summary->setVisible(!m_summary->text().isEmpty());
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    m_method->setFont(small);
    m_method->setText(r.method.isEmpty() ? QString() : tr("Method: %1").arg(r.method));
    m_method->setVisible(!r.method.isEmpty());
    m_blocks->setHtml(blocksHtml(r.blocks));
    m_blocks->setVisible(!r.blocks.isEmpty());
    show();
    emit changed();
}

} // namespace hood::gui
