package org.jvnet.hudson.test;

import hudson.model.Descriptor;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import java.io.IOException;

/**
 * Stand-in (jenkins-test-harness). (The real one extends AbstractItem and implements
 * DirectlyModifiableTopLevelItemGroup, which reach the two interfaces here.) Compile-only.
 */
public class MockFolder implements TopLevelItem, ItemGroup<TopLevelItem> {

    private MockFolder() {
    }

    public <T extends TopLevelItem> T createProject(Class<T> type, String name) throws IOException {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }

    @Override
    public Descriptor<TopLevelItem> getDescriptor() {
        throw new UnsupportedOperationException("stand-in: no Jenkins here");
    }
}
