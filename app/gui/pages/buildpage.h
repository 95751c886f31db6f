// Build: a folder with a Dockerfile, built with `hoodctl build --progress json`
// (engine/buildsession), its steps filling a list as they run: each with its
// time, "cache hit" or "built", the short cache key and the layer it made (a
// click opens the Layers page on it). A rebuild marks the step where the cache
// stops being used. Below, pull and push with a progress bar per layer.
#pragma once

#include "buildsession.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace hood::gui {

class BuildPage : public QWidget {
    Q_OBJECT

public:
    // What a glance needs first, the instruction last where its length does not
    // push the rest out of sight.
    enum Column { StepColumn, ResultColumn, TimeColumn, KeyColumn, LayerColumn, InstructionColumn };

    explicit BuildPage(const QString &hoodctl, const QString &stateRoot, QWidget *parent = nullptr);

    void setContext(const QString &dir);
    void build();
    void pull();
    void push();

    BuildSession *session() const { return m_session; }
    QTreeWidget *steps() const { return m_steps; }
    QTreeWidget *blobs() const { return m_blobs; }
    QLineEdit *contextField() const { return m_context; }
    QLineEdit *tagField() const { return m_tag; }
    QLineEdit *referenceField() const { return m_reference; }
    QCheckBox *plainHttp() const { return m_plainHttp; }
    QString summary() const;               // of the last good build
    QLabel *summaryLabel() const { return m_summary; } // what the page says now
    QString builtImage() const { return m_image; }
    // The step (1-based) where the last build stopped using the cache; 0: it did not.
    int cacheStop() const { return m_cacheStop; }

protected:
    void changeEvent(QEvent *event) override;

signals:
    // The layer with this diff_id of this image, for the Layers page.
    void layerRequested(const QString &image, const QString &diffId);

private:
    void fitSummaryFont();
    void chooseFolder();
    void showStep(const BuildStepEvent &e);
    void showBlob(const BlobProgress &p);
    void finished(bool ok, const QString &imageId, const QString &digest, const QString &sentence);
    void setBusy(bool busy);
    void markCacheStop(QTreeWidgetItem *item, const BuildStepEvent &e);
    void openLayer(QTreeWidgetItem *item, int column);

    BuildSession *m_session;
    QLineEdit *m_context;
    QLineEdit *m_tag;
    QCheckBox *m_noCache;
    QPushButton *m_browse;
    QPushButton *m_build;
    QLabel *m_summary;
    QTreeWidget *m_steps;
    QLineEdit *m_reference;
    QCheckBox *m_plainHttp;
    QPushButton *m_pull;
    QPushButton *m_push;
    QLabel *m_transferStatus;
    QTreeWidget *m_blobs;
    QHash<QString, QProgressBar *> m_bars; // by blob
    enum class Doing { Nothing, Build, Pull, Push } m_doing = Doing::Nothing;
    QString m_image;
    QString m_stopReason; // why the step at m_cacheStop missed
    QString m_lastBuilt; // the context the last good build was of
    bool m_rebuild = false; // this build is of m_lastBuilt again: a miss at step 1 is marked too
    int m_hits = 0, m_built = 0, m_total = 0, m_cacheStop = 0;
    double m_seconds = 0;
};

} // namespace hood::gui
