//! Which language the template goes in: the person's first language that has a template,
//! else the configured default.

/// `locales`: the person's languages, most wanted first (BCP 47). Each is tried exactly
/// (ignoring case), then by its primary language (`pt-BR` → `pt`), against `languages`.
pub fn template_language<'a>(
    locales: &[String],
    languages: &'a [(String, String)],
    default: &'a str,
) -> &'a str {
    let find = |tag: &str| {
        languages
            .iter()
            .find(|(person, _)| person.eq_ignore_ascii_case(tag))
            .map(|(_, template)| template.as_str())
    };
    locales
        .iter()
        .find_map(|tag| find(tag).or_else(|| tag.split(['-', '_']).next().and_then(&find)))
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_then_primary_then_default() {
        let languages: Vec<(String, String)> = [("pt-BR", "pt_BR"), ("es", "es_MX"), ("ar", "ar")]
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        let pick = |tags: &[&str]| {
            let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
            template_language(&tags, &languages, "en_US").to_owned()
        };
        assert_eq!(pick(&["pt-br"]), "pt_BR");
        assert_eq!(pick(&["es-AR"]), "es_MX");
        assert_eq!(pick(&["fr", "ar-EG"]), "ar");
        assert_eq!(pick(&["pt-PT"]), "en_US", "pt-PT is not pt-BR");
        assert_eq!(pick(&[]), "en_US");
    }
}
