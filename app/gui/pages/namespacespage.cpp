#include "namespacespage.h"

#include "namespacediagram.h"
#include "namespacemodel.h"

#include <QEvent>
#include <QGraphicsView>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace hood::gui {

NamespacesPage::NamespacesPage(QWidget *parent)
    : QWidget(parent), m_scene(new NamespaceDiagram(this)), m_model(new NamespaceTableModel(this))
{
    auto *v = new QVBoxLayout(this);
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    v->addWidget(m_caption);
    auto *split = m_split = new QSplitter(Qt::Horizontal, this);
    m_view = new QGraphicsView(m_scene, split);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRenderHint(QPainter::TextAntialiasing);
    m_view->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_view->setFocusPolicy(Qt::StrongFocus);
    // The drawing is scaled to the page's height; many containers scroll sideways.
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The view gets its final size after this page's resizeEvent: fit on its own.
    m_view->viewport()->installEventFilter(this);
    m_table = new QTableView(split);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    split->addWidget(m_view);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    split->setChildrenCollapsible(false);
    v->addWidget(split, 1);
}

namespace {

// The same processes in the same namespaces: what the page draws would not change.
bool sameNamespaces(const NamespaceSnapshot &a, const NamespaceSnapshot &b)
{
    if (a.hostReference != b.hostReference || a.participants.size() != b.participants.size())
        return false;
    for (qsizetype i = 0; i < a.participants.size(); ++i) {
        const NamespaceParticipant &p = a.participants[i], &q = b.participants[i];
        if (p.name != q.name || p.pid != q.pid || p.isHost != q.isHost)
            return false;
        for (size_t k = 0; k < p.set.size(); ++k) {
            if (p.set[k].state != q.set[k].state || !(p.set[k].id == q.set[k].id))
                return false;
        }
    }
    return true;
}

} // namespace

void NamespacesPage::showSnapshot(const NamespaceSnapshot &snapshot, const QString &selected)
{
    // The window reads the namespaces every second; redrawing the same drawing and
    // table each time cost the GUI thread 5 to 10 ms (tests/bench/gui). A new
    // palette or font still redraws.
    const QString look = QString::number(palette().cacheKey()) + font().key();
    if (m_drawn && selected == m_selected && look == m_look && sameNamespaces(snapshot, m_last))
        return;
    m_drawn = true;
    m_look = look;
    m_last = snapshot;
    m_selected = selected;
    m_scene->draw(snapshot, selected, m_highlight);
    m_model->setSnapshot(snapshot, selected);
    fitTable();
    const int containers = int(snapshot.participants.size()) - 1;
    m_caption->setText(
        tr("<b>The host</b> (read from %1) and <b>%n running container(s)</b>. Processes in the same box "
           "share that namespace; a box of its own means a private copy.",
           nullptr, containers)
            .arg(snapshot.hostReference.toHtmlEscaped()));
    fit();
}

bool NamespacesPage::highlight(const QString &kind)
{
    const int row = m_model->rowOfKind(kind);
    if (row < 0)
        return false;
    m_highlight = m_model->index(row, 0).data(NamespaceTableModel::KindKeyRole).toString();
    m_table->selectRow(row);
    m_scene->draw(m_last, m_selected, m_highlight);
    return true;
}

bool NamespacesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fit();
    return QWidget::eventFilter(watched, event);
}

void NamespacesPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitTable();
    fit();
}

// The table gets the width its columns need (so no word is cut); the drawing the rest.
// The table may have more than half where the drawing needs less at full size
// (beside the lessons dock half the page cut "shared with host").
void NamespacesPage::fitTable()
{
    m_table->resizeColumnsToContents();
    const int want = m_table->horizontalHeader()->length() + 2 * m_table->frameWidth() + 4;
    const int total = m_split->width() - m_split->handleWidth();
    const int drawing = int(m_scene->sceneRect().width()) + 2 * m_view->frameWidth() + 8;
    const int table = std::min(want, std::max(total / 2, total - drawing));
    if (total > 0 && m_split->sizes().value(1) != table)
        m_split->setSizes({total - table, table});
}

// Shrinks the drawing to fit when it is wider or taller than the view, never
// enlarges it beyond 1:1 (the fonts are already the application's).
void NamespacesPage::fit()
{
    const QRectF r = m_scene->sceneRect();
    const QSize vs = m_view->viewport()->size();
    if (r.isEmpty() || vs.isEmpty())
        return;
    const qreal s = std::min({1.0, std::max(0.6, vs.width() / r.width()), vs.height() / r.height()});
    m_view->setTransform(QTransform::fromScale(s, s));
}

} // namespace hood::gui
