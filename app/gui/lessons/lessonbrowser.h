// The text of a step: Markdown in a QTextBrowser whose images come from the lesson's
// folder. SVG diagrams are drawn at the current scale and never wider than the view,
// so they stay sharp on a projector and fit a narrow dock.
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

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();
    QImage renderImage(const QString &path) const;
    int imageWidthLimit() const;

    QString m_markdown;
    QString m_dir;
    double m_scale = 1.0;
    int m_renderedWidthLimit = 0;
};

} // namespace hood::gui
