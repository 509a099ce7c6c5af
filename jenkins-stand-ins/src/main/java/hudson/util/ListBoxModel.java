package hudson.util;

import java.util.ArrayList;

/** Stand-in: the options of a drop-down list. */
public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public void add(String displayName, String value) {
        add(new Option(displayName, value));
    }

    public ListBoxModel add(String nameAndValue) {
        add(nameAndValue, nameAndValue);
        return this;
    }

    /** Stand-in: one option. */
    public static final class Option {
        public String name;
        public String value;

        public Option(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }
}
