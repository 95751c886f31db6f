#include "treepages.h"

#include "mounttreemodel.h"
#include "processtreemodel.h"
#include "theme.h"

#include "image/layerview.h"

#include <QHeaderView>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

QTreeView *makeTree(QWidget *parent, QAbstractItemModel *model)
{
    auto *view = new QTreeView(parent);
    view->setModel(model);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->header()->setSectionResizeMode(QHeaderView::Interactive);
    view->header()->setStretchLastSection(true);
    return view;
}

QLabel *makeCaption(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

// Sizes columns to their contents once per model reset, capping the first so the
// others stay visible.
void fitColumns(QTreeView *view, int firstMax)
{
    for (int c = 0; c < view->model()->columnCount() - 1; ++c)
        view->resizeColumnToContents(c);
    if (view->columnWidth(0) > firstMax)
        view->setColumnWidth(0, firstMax);
}

} // namespace

MountsPage::MountsPage(QWidget *parent) : QWidget(parent), m_model(new MountTreeModel(this))
{
    auto *v = new QVBoxLayout(this);
    m_caption = makeCaption(this);
    v->addWidget(m_caption);
    m_layersBox = new QFrame(this);
    m_layersBox->setFrameShape(QFrame::StyledPanel);
    auto *h = new QHBoxLayout(m_layersBox);
    m_layers = makeCaption(m_layersBox);
    m_layers->setObjectName("mounts-layers");
    m_layers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    h->addWidget(m_layers, 1);
    m_layersButton = new QPushButton(tr("Show the layers (Ctrl+9)"), m_layersBox);
    m_layersButton->setToolTip(tr("Open the Layers page: each layer's files, the merged tree and live copy-ups"));
    connect(m_layersButton, &QPushButton::clicked, this, &MountsPage::layersRequested);
    h->addWidget(m_layersButton, 0, Qt::AlignTop);
    v->addWidget(m_layersBox);
    m_view = makeTree(this, m_model);
    v->addWidget(m_view, 1);
    showNothing(tr("Select a running container to see its mount tree."));
}

QString MountsPage::layerList() const
{
    return m_layersBox->isHidden() ? QString() : m_layers->text();
}

// The overlay options of the root mount, as the layer stack they are: the upper
// on top, then each lower (top first), and the work directory overlayfs needs.
void MountsPage::showLayerList(const MountSnapshot &s)
{
    const std::optional<image::OverlayLayers> o = image::rootOverlay(s.tree);
    m_layersBox->setVisible(o.has_value());
    if (!o)
        return;
    auto row = [](const QString &what, const std::string &dir) {
        return QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td><tt>%2</tt></td></tr>")
            .arg(what, QString::fromStdString(dir).toHtmlEscaped());
    };
    QString rows;
    if (!o->upper.empty())
        rows += row(tr("upperdir (writable)"), o->upper);
    for (size_t i = 0; i < o->lowers.size(); ++i)
        rows += row(o->lowers.size() == 1 ? tr("lowerdir")
                    : i == 0             ? tr("lowerdir %1 (top)").arg(i + 1)
                    : i + 1 == o->lowers.size() ? tr("lowerdir %1 (base)").arg(i + 1)
                                                : tr("lowerdir %1").arg(i + 1),
                    o->lowers[i]);
    if (!o->work.empty())
        rows += row(tr("workdir"), o->work);
    m_layers->setText(tr("The root is an <b>overlay</b> of these layers (its mount options):") + "<table>" + rows
                      + "</table>");
}

void MountsPage::showSnapshot(const MountSnapshot &s)
{
    const bool sameContainer = s.id == m_id;
    const QString current = m_view->currentIndex().siblingAtColumn(0).data().toString();
    m_id = s.id;
    if (m_model->setSnapshot(s))
        m_view->expandAll();
    if (!sameContainer)
        fitColumns(m_view, m_view->width() / 3);
    else if (!current.isEmpty())
        m_view->setCurrentIndex(m_model->indexOfTarget(current));
    showLayerList(s);
    if (!s.problem.isEmpty()) {
        m_caption->setText(s.problem.toHtmlEscaped());
        return;
    }
    m_caption->setText(tr("<b>%1</b>: %2 mounts as the container sees them (<tt>/proc/%3/mountinfo</tt>). "
                          "<span style='background:%4'>&nbsp;added&nbsp;</span> marks the %5 the host does not have; "
                          "%6 host mounts are not visible inside.")
                           .arg(s.id.toHtmlEscaped())
                           .arg(m_model->mountCount())
                           .arg(s.pid)
                           .arg(theme::addedFill(palette()).name())
                           .arg(tr("%n mount(s)", nullptr, m_model->addedCount()))
                           .arg(m_model->removedCount()));
}

void MountsPage::showNothing(const QString &why)
{
    m_id.clear();
    m_layersBox->hide();
    m_model->setSnapshot({});
    m_caption->setText(why.toHtmlEscaped());
}

bool MountsPage::highlight(const QString &target)
{
    const QModelIndex i = m_model->indexOfTarget(target);
    if (!i.isValid())
        return false;
    m_view->setCurrentIndex(i);
    m_view->scrollTo(i);
    return true;
}

ProcessesPage::ProcessesPage(QWidget *parent) : QWidget(parent), m_model(new ProcessTreeModel(this))
{
    auto *v = new QVBoxLayout(this);
    m_caption = makeCaption(this);
    v->addWidget(m_caption);
    m_view = makeTree(this, m_model);
    v->addWidget(m_view, 1);
    showNothing(tr("Select a running container to see its processes."));
}

void ProcessesPage::showSnapshot(const ProcessSnapshot &s)
{
    const bool first = m_model->processCount() == 0;
    if (m_model->setSnapshot(s))
        m_view->expandAll();
    if (first)
        fitColumns(m_view, m_view->width() / 2);
    if (!s.problem.isEmpty()) {
        m_caption->setText(s.problem.toHtmlEscaped());
        return;
    }
    const inspect::ProcessInfo *init = s.tree.roots.empty() ? nullptr : &s.tree.processes[size_t(s.tree.roots.front())];
    m_caption->setText(
        tr("<b>%1</b>: %n process(es). Inside its pid namespace the first one is pid %2; the host knows it as "
           "pid %3. Both numbers come from the NSpid line of <tt>/proc/PID/status</tt>.",
           nullptr, m_model->processCount())
            .arg(s.id.toHtmlEscaped())
            .arg(init ? init->nsPid : 0)
            .arg(init ? init->pid : 0));
}

void ProcessesPage::showNothing(const QString &why)
{
    m_model->setSnapshot({});
    m_caption->setText(why.toHtmlEscaped());
}

} // namespace hood::gui
