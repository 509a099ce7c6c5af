package hudson.model;

/** Stand-in: something attached to a model object, persisted with a run. */
public interface Action extends ModelObject {
    String getIconFileName();

    @Override
    String getDisplayName();

    String getUrlName();
}
