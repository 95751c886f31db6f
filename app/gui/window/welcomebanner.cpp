#include "welcomebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace {

const char *const kLogoPath = ":/icons/hood.svg";

// Plain words for a student who has used containers but never looked inside one,
// and the keys that matter on the first day.
QString welcomeText()
{
    return QObject::tr(
        "<h2 style='margin:0'>Welcome to Hood</h2>"
        "<p>A container is not a small virtual machine: it is an ordinary Linux process that the kernel "
        "shows a different world (<b>namespaces</b>), a budget (<b>cgroups</b>) and a root filesystem of "
        "its own. The lessons below take it apart on this machine, from namespaces to virtual "
        "machines, unikernels and the OCI runtime.</p>"
        "<p>Read a step, guess what will happen, press <b>Do it</b> (Ctrl+Return) and watch these pages. "
        "<b>Alt+Right</b> goes on, <b>F9</b> shows or hides the lessons, <b>F11</b> is presentation mode.</p>");
}

} // namespace

WelcomeBanner::WelcomeBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName("welcome");
    setFrameShape(QFrame::StyledPanel);
    auto *logo = new QLabel(this);
    logo->setPixmap(hoodLogo(64, devicePixelRatioF()));
    logo->setAlignment(Qt::AlignTop);
    auto *body = new QLabel(welcomeText(), this);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_begin = new QPushButton(tr("Begin the first lesson"), this);
    m_begin->setDefault(true);
    auto *close = new QPushButton(tr("Close"), this);
    connect(m_begin, &QPushButton::clicked, this, [this] {
        emit beginRequested();
        emit dismissed();
    });
    connect(close, &QPushButton::clicked, this, &WelcomeBanner::dismissed);
    // Text beside the logo, the buttons under it: the banner sits at the top of the
    // lessons dock, which is narrow.
    auto *top = new QHBoxLayout;
    top->addWidget(logo);
    top->addSpacing(12);
    top->addWidget(body, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_begin);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->addLayout(top);
    layout->addLayout(buttons);
}

QPixmap hoodLogo(int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(QString::fromLatin1(kLogoPath));
    QPainter painter(&pixmap);
    renderer.render(&painter);
    painter.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

QIcon hoodIcon()
{
    QIcon icon;
    for (int size : {16, 22, 32, 48, 64, 128, 256})
        icon.addPixmap(hoodLogo(size));
    return icon;
}
