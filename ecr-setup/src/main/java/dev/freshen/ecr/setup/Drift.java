package dev.freshen.ecr.setup;

/**
 * One setting of an existing repository that differs from the layout: reported, never changed by Freshen.
 *
 * @param repository the repository name
 * @param setting    which setting: {@code tag mutability}, {@code scan on push}, {@code encryption},
 *                   {@code lifecycle policy}
 * @param wanted     what the layout wants, for people
 * @param found      what the repository has, for people
 * @param fix        how to fix it (an AWS CLI command, or what to change in Freshen's settings)
 */
public record Drift(String repository, String setting, String wanted, String found, String fix) {

    /** One line: {@code ECR repository R: S is F, wanted W; fix: …}. */
    public String line() {
        return "ECR repository " + repository + ": " + setting + " is " + found + ", wanted " + wanted + "; fix: " + fix;
    }
}
