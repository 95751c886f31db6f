#include "namespacemodel.h"

#include "theme.h"

#include <QGuiApplication>

namespace hood::gui {

QString kindKey(NsKind kind)
{
    const std::string_view s = nsInfo(kind).shortName;
    return QString::fromLatin1(s.data(), qsizetype(s.size()));
}

QString inodeText(const inspect::NsEntry &e)
{
    if (e.state == inspect::NsState::Ok)
        return QString::number(e.id.inode);
    if (e.state == inspect::NsState::Unsupported)
        return QObject::tr("not supported");
    return QString::fromLatin1(inspect::nsStateName(e.state));
}

void NamespaceTableModel::setSnapshot(const NamespaceSnapshot &snapshot, const QString &container)
{
    std::optional<inspect::NsSet> mine;
    for (const NamespaceParticipant &p : snapshot.participants) {
        if (p.isHost)
            m_host = p.set;
        else if (p.name == container)
            mine = p.set;
    }
    m_container = mine;
    m_containerName = container;
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit headerDataChanged(Qt::Horizontal, ContainerInode, ContainerInode);
}

int NamespaceTableModel::rowOfKind(const QString &key) const
{
    const NsInfo *info = findNamespace(key.toStdString());
    return info ? int(info->kind) : -1;
}

int NamespaceTableModel::comparedKinds() const
{
    int n = 0;
    for (int row = 0; row < rowCount(); ++row)
        n += shared(row).has_value();
    return n;
}

std::optional<bool> NamespaceTableModel::shared(int row) const
{
    if (!m_container)
        return std::nullopt;
    const inspect::NsEntry &h = m_host[size_t(row)];
    const inspect::NsEntry &c = (*m_container)[size_t(row)];
    if (h.state != inspect::NsState::Ok || c.state != inspect::NsState::Ok)
        return std::nullopt;
    return h.id == c.id;
}

int NamespaceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(kNamespaces.size());
}

int NamespaceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NamespaceTableModel::display(int row, int column) const
{
    const NsInfo &info = kNamespaces[size_t(row)];
    switch (column) {
    case Kind: return QString::fromLatin1(info.procName.data(), qsizetype(info.procName.size()));
    case HostInode: return inodeText(m_host[size_t(row)]);
    case ContainerInode: return m_container ? inodeText((*m_container)[size_t(row)]) : QStringLiteral("–");
    case Isolation: {
        const auto s = shared(row);
        if (!s)
            return m_container ? tr("unknown") : tr("no container selected");
        return *s ? tr("shared with host") : tr("private");
    }
    }
    return {};
}

QVariant NamespaceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const NsInfo &info = kNamespaces[size_t(row)];
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case Qt::ToolTipRole: return QString::fromUtf8(info.explanation.data(), qsizetype(info.explanation.size()));
    case KindKeyRole: return kindKey(info.kind);
    case SharedRole: {
        const auto s = shared(row);
        return s ? QVariant(*s) : QVariant();
    }
    case Qt::BackgroundRole: {
        const auto s = shared(row);
        if (!s || index.column() != Isolation)
            return {};
        const QPalette p = QGuiApplication::palette();
        return *s ? theme::sharedFill(p) : theme::privateFill(p);
    }
    }
    return {};
}

QVariant NamespaceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Kind: return tr("Namespace");
    case HostInode: return tr("Host inode");
    case ContainerInode: return m_containerName.isEmpty() ? tr("Container inode") : tr("%1 inode").arg(m_containerName);
    case Isolation: return tr("Isolation");
    }
    return {};
}

} // namespace hood::gui
