"""CMS wiring for recognition: rules, badges and appraisal periods for HR."""
