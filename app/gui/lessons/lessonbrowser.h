// The text of a step: Markdown in a QTextBrowser whose images come from the lesson's
// folder. SVG diagrams are drawn at the current scale and never wider than the view,
// so they stay sharp on a projector and fit a narrow dock; a click on one asks for it
// large (imageClicked). Headings stay near the body's size: Qt's Markdown sizes (1.5
// times for ##) left a dock on a projector room for only a few lines of prose; and
// code blocks wrap rather than scroll sideways.
#pragma once

#include <QTextBrowser>

namespace hood::gui {

class LessonBrowser : public QTextBrowser {
    Q_OBJECT

public:
    explicit LessonBrowser(QWidget *parent = nullptr);

    // Shows `markdown`; relative image paths resolve against `lessonDir`.
    void showMarkdown(const QString &markdown, const QString &lessonDir);
    void setScale(double scale);

    QVariant loadResource(int type, const QUrl &name) override;
    // The image under a point of the viewport: its file, and its alt text (empty when
    // there is none there).
    std::pair<QString, QString> imageAt(const QPoint &viewportPos) const;

signals:
    void imageClicked(const QString &path, const QString &altText);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void render();
    void fitBlocks();
    QImage renderImage(const QString &path) const;
    void markEnlargeable(QImage &image) const;
    int imageWidthLimit() const;

    QString m_markdown;
    QString m_dir;
    double m_scale = 1.0;
    int m_renderedWidthLimit = 0;
    bool m_overImage = false;
};

} // namespace hood::gui
