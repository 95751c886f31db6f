// The welcome a new user sees on the first run, atop the lessons dock: what Hood is in two
// sentences and where to begin (the lessons dock, open on the first lesson). Shown
// once; "Begin" and "Close" both dismiss it for good.
#pragma once

#include <QFrame>
#include <QIcon>
#include <QPixmap>

class QPushButton;

class WelcomeBanner : public QFrame {
    Q_OBJECT

public:
    explicit WelcomeBanner(QWidget *parent = nullptr);
    QPushButton *beginButton() const { return m_begin; }

signals:
    void beginRequested(); // "Begin the first lesson"
    void dismissed();      // either button

private:
    QPushButton *m_begin = nullptr;
};

// Hood's logo (resources/icons/hood.svg) rendered at size x size device-independent pixels.
QPixmap hoodLogo(int size, qreal devicePixelRatio = 1.0);
// The window icon, from the same SVG at the usual icon sizes.
QIcon hoodIcon();
