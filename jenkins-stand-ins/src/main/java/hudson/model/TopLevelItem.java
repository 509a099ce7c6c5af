package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in: an item directly in Jenkins or a folder; only here as the element type of Jenkins' item group. */
public interface TopLevelItem extends Item, ExtensionPoint, Describable<TopLevelItem> {
}
