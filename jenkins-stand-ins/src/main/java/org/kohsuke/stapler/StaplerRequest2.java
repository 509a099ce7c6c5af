package org.kohsuke.stapler;

import net.sf.json.JSONObject;

/** Stand-in: the web request (Jakarta servlet flavour); only JSON binding is used. */
public interface StaplerRequest2 {
    void bindJSON(Object bean, JSONObject src);
}
