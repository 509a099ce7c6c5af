package net.sf.json;

/** Stand-in: a submitted form as JSON; only passed through to {@code StaplerRequest2.bindJSON}. */
public final class JSONObject {
    private JSONObject() {
    }
}
