#include "networkpage.h"

#include "plots/netplot.h"

#include "net/netcommands.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString addressesOf(const inspect::NetView &view, int ifindex)
{
    QStringList out;
    for (const inspect::NetAddress &a : view.addresses) {
        if (a.ifindex == ifindex && a.family == "inet")
            out << q(a.address) + "/" + QString::number(a.prefixLen);
    }
    return out.join(", ");
}

bool isBridgeName(const std::string &name)
{
    return name.rfind("hood", 0) == 0;
}

// The lines a container's box holds: who, how it is connected, where.
QStringList memberLines(const NetworkMember &m)
{
    QStringList lines = {m.id};
    if (!m.problem.isEmpty())
        return lines << m.problem;
    const net::Mode mode = m.attachment ? m.attachment->mode : net::Mode::None;
    if (mode == net::Mode::Host)
        return lines << QObject::tr("host network: no namespace of its own");
    if (mode == net::Mode::Container)
        return lines << QObject::tr("shares the namespace of %1").arg(q(m.attachment->container));
    for (const inspect::NetLink &l : m.view.links) {
        QString addr = addressesOf(m.view, l.ifindex);
        lines << QString("%1 %2").arg(q(l.name), addr.isEmpty() ? QObject::tr("(no IPv4)") : addr);
        if (l.name != "lo" && !l.mac.empty())
            lines << QObject::tr("  mac %1").arg(q(l.mac));
    }
    if (m.attachment) {
        for (const net::PortMapping &p : m.attachment->ports)
            lines << QObject::tr("published %1").arg(q(p.text()));
    }
    if (mode == net::Mode::None)
        lines << QObject::tr("none: loopback only");
    return lines;
}

} // namespace

TopologyView::TopologyView(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TopologyView::setSnapshot(const NetworkSnapshot &snapshot, const QString &selected)
{
    m_snapshot = snapshot;
    m_selected = selected;
    update();
}

void TopologyView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const int margin = line / 2;
    const QColor hostColor = pal.color(QPalette::AlternateBase);
    const QColor bridgeColor(0x66, 0x99, 0xcc);
    const QColor accent = pal.color(QPalette::Highlight);
    p.fillRect(rect(), pal.color(QPalette::Base));

    // The host: its interfaces that are not Hood's (bridges and veth host ends).
    QStringList hostLines;
    for (const inspect::NetLink &l : m_snapshot.host.links) {
        if (isBridgeName(l.name) || l.kind == "veth")
            continue;
        QString addr = addressesOf(m_snapshot.host, l.ifindex);
        hostLines << q(l.name) + (addr.isEmpty() ? QString() : " " + addr);
    }
    QStringList hosted;
    for (const NetworkMember &m : m_snapshot.members) {
        if (m.attachment && m.attachment->mode == net::Mode::Host)
            hosted << m.id;
    }
    QString hostText = tr("host: ") + hostLines.join("   ");
    if (!hosted.isEmpty())
        hostText += tr("   · in the host's network: ") + hosted.join(", ");
    QRect hostBox(margin, margin, width() - 2 * margin, line * 2);
    p.setPen(pal.color(QPalette::Text));
    p.setBrush(hostColor);
    p.drawRoundedRect(hostBox, 6, 6);
    p.drawText(hostBox.adjusted(margin, 0, -margin, 0), Qt::AlignVCenter | Qt::AlignLeft,
               fm.elidedText(hostText, Qt::ElideRight, hostBox.width() - 2 * margin));

    // Containers with a namespace of their own, in one row (two when many).
    QVector<const NetworkMember *> boxes;
    for (const NetworkMember &m : m_snapshot.members) {
        if (!(m.attachment && m.attachment->mode == net::Mode::Host))
            boxes << &m;
    }
    // Grouped by bridge, so that each bridge's bar spans its own containers only;
    // those without one (none, container:) come last.
    std::stable_sort(boxes.begin(), boxes.end(), [](const NetworkMember *a, const NetworkMember *b) {
        auto key = [](const NetworkMember *m) {
            return m->attachment && m->attachment->bridged() ? q(m->attachment->bridge) : QString("~");
        };
        return key(a) < key(b);
    });
    if (boxes.isEmpty()) {
        p.drawText(rect().adjusted(margin, hostBox.bottom() + line, -margin, -margin), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No running container. Launch one with --network bridge (the default as root) to see its "
                      "veth pair, its bridge and its address here."));
        return;
    }
    const int perRow = std::max(1, std::min<int>(int(boxes.size()), width() / std::max(1, fm.averageCharWidth() * 26)));
    const int rows = (int(boxes.size()) + perRow - 1) / perRow;
    const int bridgeY = hostBox.bottom() + line * 2;
    const int boxW = (width() - margin * (perRow + 1)) / perRow;
    int maxLines = 0;
    for (const NetworkMember *m : boxes)
        maxLines = std::max<int>(maxLines, int(memberLines(*m).size()));
    const int boxH = line * maxLines + margin;
    const int rowGap = line * 3;
    const int firstBoxY = bridgeY + line * 2 + rowGap;

    // Bridges: one bar each, over the containers attached to it.
    QMap<QString, QRect> bridgeBars;
    QMap<QString, int> bridgeIndex;
    for (const inspect::NetLink &l : m_snapshot.host.links) {
        if (l.kind == "bridge" && isBridgeName(l.name))
            bridgeIndex[q(l.name)] = l.ifindex;
    }
    auto boxRect = [&](int i) {
        int r = i / perRow, c = i % perRow;
        return QRect(margin + c * (boxW + margin), firstBoxY + r * (boxH + rowGap), boxW, boxH);
    };
    for (int i = 0; i < boxes.size(); ++i) {
        const NetworkMember &m = *boxes[i];
        if (!m.attachment || !m.attachment->bridged())
            continue;
        QString br = q(m.attachment->bridge);
        QRect box = boxRect(i);
        QRect bar(box.left(), bridgeY, box.width(), line * 2);
        bridgeBars[br] = bridgeBars.contains(br) ? bridgeBars[br].united(bar) : bar;
    }
    int k = 0;
    for (auto it = bridgeBars.begin(); it != bridgeBars.end(); ++it, ++k) {
        QRect bar = it.value();
        p.setPen(pal.color(QPalette::Text));
        p.drawLine(bar.center().x(), hostBox.bottom(), bar.center().x(), bar.top());
        p.setBrush(bridgeColor.lighter(150));
        p.setPen(bridgeColor.darker(130));
        p.drawRoundedRect(bar, 4, 4);
        p.setPen(pal.color(QPalette::Text));
        QString addr = bridgeIndex.contains(it.key()) ? addressesOf(m_snapshot.host, bridgeIndex[it.key()]) : QString();
        p.drawText(bar, Qt::AlignCenter, fm.elidedText(tr("bridge %1 %2").arg(it.key(), addr), Qt::ElideRight, bar.width() - 8));
    }

    for (int i = 0; i < boxes.size(); ++i) {
        const NetworkMember &m = *boxes[i];
        QRect box = boxRect(i);
        const bool bridged = m.attachment && m.attachment->bridged();
        if (bridged && bridgeBars.contains(q(m.attachment->bridge))) {
            // The veth pair: host end at the bridge, eth0 in the container.
            QRect bar = bridgeBars[q(m.attachment->bridge)];
            QPen pen(accent, 2);
            p.setPen(pen);
            p.drawLine(box.center().x(), bar.bottom(), box.center().x(), box.top());
            p.setPen(pal.color(QPalette::Text));
            QRect label(box.left(), bar.bottom() + 2, box.width(), rowGap - 4);
            p.drawText(label, Qt::AlignCenter,
                       fm.elidedText(tr("veth %1 ⇄ eth0").arg(q(m.attachment->hostVeth)), Qt::ElideRight, box.width()));
        }
        p.setPen(m.id == m_selected ? QPen(accent, 3) : QPen(pal.color(QPalette::Mid), 1));
        p.setBrush(bridged ? pal.color(QPalette::Window) : pal.color(QPalette::AlternateBase).darker(105));
        p.drawRoundedRect(box, 6, 6);
        p.setPen(pal.color(QPalette::Text));
        QStringList lines = memberLines(m);
        for (int l = 0; l < lines.size(); ++l) {
            QFont f = font();
            f.setBold(l == 0);
            p.setFont(f);
            p.drawText(QRect(box.left() + margin / 2, box.top() + margin / 2 + l * line, box.width() - margin, line),
                       Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(lines[l], Qt::ElideRight, box.width() - margin));
        }
        p.setFont(font());
    }
    setMinimumHeight(std::min(firstBoxY + rows * (boxH + rowGap), 900));
}

NetworkPage::NetworkPage(QWidget *parent) : QWidget(parent)
{
    // Left: the drawing over the commands that build it (both as wide as the page
    // allows); right: the plot and the ping that makes it move.
    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *left = new QSplitter(Qt::Vertical, split);
    m_topology = new TopologyView(left);
    auto *commandsBox = new QWidget(left);
    auto *cv = new QVBoxLayout(commandsBox);
    cv->setContentsMargins(0, 0, 0, 0);
    cv->addWidget(new QLabel(tr("The same network by hand (ip, nsenter, nft):"), commandsBox));
    m_commands = new QPlainTextEdit(commandsBox);
    m_commands->setReadOnly(true);
    m_commands->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    cv->addWidget(m_commands, 1);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 1);
    auto *right = new QWidget(split);
    auto *v = new QVBoxLayout(right);
    v->setContentsMargins(0, 0, 0, 0);
    auto *ifRow = new QHBoxLayout;
    ifRow->addWidget(new QLabel(tr("Interface:"), right));
    m_interface = new QComboBox(right);
    m_interface->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    ifRow->addWidget(m_interface, 1);
    v->addLayout(ifRow);
    m_plot = new NetPlot(right);
    v->addWidget(m_plot, 1);
    auto *pingRow = new QHBoxLayout;
    m_from = new QComboBox(right);
    m_to = new QComboBox(right);
    pingRow->addWidget(m_from, 1);
    pingRow->addWidget(new QLabel("→", right));
    pingRow->addWidget(m_to, 1);
    v->addLayout(pingRow);
    m_ping = new QPushButton(tr("Ping between these two"), right);
    m_ping->setToolTip(tr("hoodctl exec FROM -- ping -c 5 TO: watch the packets move on the plot"));
    v->addWidget(m_ping); // a row of its own: never cut beside two wide choices
    m_pingResult = new QLabel(right);
    m_pingResult->setWordWrap(true);
    v->addWidget(m_pingResult);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({3000, 2000}); // 3:2 from the start, not after the first drag
    left->setSizes({3000, 2000});
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(split);
    connect(m_ping, &QPushButton::clicked, this, &NetworkPage::ping);
    connect(m_interface, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        m_plotted.clear();
        m_plot->reset(name.isEmpty() ? tr("Select an interface") : tr("%1: rx and tx").arg(name));
    });
}

void NetworkPage::setHoodctl(const QString &program, const QString &stateRoot)
{
    m_hoodctl = program;
    m_stateRoot = stateRoot;
}

QString NetworkPage::commands() const
{
    return m_commands->toPlainText();
}

void NetworkPage::fillChoices(const NetworkSnapshot &s)
{
    QStringList interfaces;
    for (const inspect::NetLink &l : s.host.links)
        interfaces << q(l.name);
    for (const NetworkMember &m : s.members) {
        for (const inspect::NetLink &l : m.view.links) {
            if (l.name != "lo")
                interfaces << m.id + ":" + q(l.name);
        }
    }
    auto refill = [](QComboBox *box, const QStringList &items) {
        QStringList now;
        for (int i = 0; i < box->count(); ++i)
            now << box->itemText(i);
        if (now == items)
            return;
        const QString keep = box->currentText();
        box->blockSignals(true);
        box->clear();
        box->addItems(items);
        box->blockSignals(false);
        int at = box->findText(keep);
        box->setCurrentIndex(at >= 0 ? at : 0);
        if (at < 0)
            emit box->currentTextChanged(box->currentText());
    };
    // The interesting one first: the selected container's eth0, else any container's.
    std::stable_partition(interfaces.begin(), interfaces.end(),
                          [&](const QString &i) { return i.endsWith(":eth0") && (m_selectedId.isEmpty() || i.startsWith(m_selectedId + ":")); });
    refill(m_interface, interfaces);
    QStringList ids;
    for (const NetworkMember &m : s.members)
        ids << m.id;
    refill(m_from, ids);
    QStringList targets = ids;
    if (targets.size() > 1 && m_to->count() == 0)
        targets.move(1, 0); // a different pair by default
    refill(m_to, targets);
}

void NetworkPage::plotInterface(const NetworkSnapshot &s)
{
    const QString choice = m_interface->currentText();
    const int colon = choice.indexOf(':');
    const inspect::NetView *view = &s.host;
    QString name = choice;
    if (colon > 0) {
        view = nullptr;
        for (const NetworkMember &m : s.members) {
            if (m.id == choice.left(colon))
                view = &m.view;
        }
        name = choice.mid(colon + 1);
    }
    if (!view)
        return;
    for (const inspect::NetLink &l : view->links) {
        if (q(l.name) == name)
            m_plot->addReading(s.at, l.rxBytes, l.txBytes, l.rxPackets, l.txPackets);
    }
}

void NetworkPage::showSnapshot(const NetworkSnapshot &s, const QString &selected)
{
    m_selectedId = selected;
    m_topology->setSnapshot(s, selected);
    fillChoices(s);
    plotInterface(s);
    QStringList text;
    for (const NetworkMember &m : s.members) {
        if (!selected.isEmpty() && m.id != selected)
            continue;
        text << "# " + m.id;
        if (!m.attachment) {
            text << tr("# made without Hood's network step (a bundle or --spec): the spec's namespaces only");
            continue;
        }
        net::CommandOptions o;
        o.pidWord = std::to_string(m.pid);
        for (const std::string &c : net::equivalentCommands(m.id.toStdString(), *m.attachment, o))
            text << q(c);
    }
    if (text.isEmpty())
        text << tr("# no running container");
    const QString joined = text.join('\n');
    if (m_commands->toPlainText() != joined)
        m_commands->setPlainText(joined);
}

void NetworkPage::ping()
{
    if (m_pingProcess || m_from->currentText().isEmpty() || m_to->currentText().isEmpty())
        return;
    m_pingProcess = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!m_stateRoot.isEmpty())
        env.insert("HOOD_ROOT", m_stateRoot);
    m_pingProcess->setProcessEnvironment(env);
    m_pingProcess->setProcessChannelMode(QProcess::MergedChannels);
    const QString from = m_from->currentText(), to = m_to->currentText();
    m_pingResult->setText(tr("pinging %1 from %2 …").arg(to, from));
    m_ping->setEnabled(false);
    connect(m_pingProcess, &QProcess::finished, this, [this, from, to](int code) {
        QString out = QString::fromUtf8(m_pingProcess->readAll()).trimmed();
        QString summary = out.section('\n', -2, -2);
        m_pingResult->setText(code == 0 ? tr("%1 → %2: %3").arg(from, to, summary)
                                        : tr("%1 cannot reach %2: %3").arg(from, to, out.section('\n', -1)));
        m_pingProcess->deleteLater();
        m_pingProcess = nullptr;
        m_ping->setEnabled(true);
    });
    m_pingProcess->start(m_hoodctl, {"exec", from, "--", "ping", "-c", "5", "-i", "0.3", "-W", "1", to});
}

} // namespace hood::gui
