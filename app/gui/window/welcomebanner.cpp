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
// and the keys that matter on the first day; short, for the lesson under it keeps
// the dock's height.
QString welcomeText()
{
    return QObject::tr(
        "<b>Welcome to Hood.</b> A container is not a small virtual machine but an ordinary Linux process "
        "that the kernel shows a world of its own. The lessons below take it apart on this machine: read a "
        "step, guess, press <b>Do it</b> (Ctrl+Return) and watch the pages; <b>Alt+Right</b> goes on.");
}

} // namespace

WelcomeBanner::WelcomeBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName("welcome");
    setFrameShape(QFrame::StyledPanel);
    auto *logo = new QLabel(this);
    logo->setPixmap(hoodLogo(32, devicePixelRatioF()));
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
    // The logo beside the text, the buttons under it: a few lines at the top of
    // the lessons dock, not most of its height.
    auto *top = new QHBoxLayout;
    top->addWidget(logo);
    top->addSpacing(8);
    top->addWidget(body, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_begin);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);
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
