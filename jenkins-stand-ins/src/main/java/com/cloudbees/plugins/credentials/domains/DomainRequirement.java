package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/** Stand-in. */
public class DomainRequirement implements Serializable {
    private static final long serialVersionUID = 1L;
}
