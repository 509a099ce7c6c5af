package hudson.model;

import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;

/** Stand-in: metadata and form handling for a {@link Describable}. Persistence is a no-op here. */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    protected Descriptor(Class<? extends T> clazz) {
    }

    public String getDisplayName() {
        return getClass().getSimpleName();
    }

    public synchronized void load() {
        // stand-in: nothing persisted outside Jenkins
    }

    public synchronized void save() {
        // stand-in: nothing persisted outside Jenkins
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        return true;
    }

    /** Stand-in: a form submission error. */
    public static final class FormException extends Exception {
        private final String formField;

        public FormException(String message, String field) {
            super(message);
            this.formField = field;
        }

        public String getFormField() {
            return formField;
        }
    }
}
