// The first page: what Hood is and where to start.
#pragma once

#include <QIcon>
#include <QPixmap>
#include <QWidget>

class WelcomePage : public QWidget {
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);
};

// Hood's logo (resources/icons/hood.svg) rendered at size x size device-independent pixels.
QPixmap hoodLogo(int size, qreal devicePixelRatio = 1.0);
// The window icon, from the same SVG at the usual icon sizes.
QIcon hoodIcon();
