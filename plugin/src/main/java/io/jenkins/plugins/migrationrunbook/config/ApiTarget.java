package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** An HTTP API the smoke tests call after the migration. */
public class ApiTarget extends ConfigItem<ApiTarget> {

    private final String id;
    private final String baseUrl;
    private String credentialsId = "";

    @DataBoundConstructor
    public ApiTarget(String id, String baseUrl) {
        this.id = trimToEmpty(id);
        this.baseUrl = trimToEmpty(baseUrl);
    }

    @Override
    public String getId() {
        return id;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    /** Secret text (bearer token) or username/password (basic); empty for none. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trimToEmpty(credentialsId);
    }

    @Extension
    @Symbol("apiTarget")
    public static final class DescriptorImpl extends Descriptor<ApiTarget> {
        @Override
        public String getDisplayName() {
            return "API target";
        }

        /** The drop-down of secret text or username/password credentials (administrators only). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return CredentialsItems.tokenOrLogin(credentialsId);
        }

        public FormValidation doCheckId(@QueryParameter String value) {
            return Forms.check(Validation.id(value));
        }

        public FormValidation doCheckBaseUrl(@QueryParameter String value) {
            return Forms.check(Validation.httpUrl(value, true));
        }
    }
}
