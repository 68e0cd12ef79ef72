//! `[costs]`: what each message costs, for the metrics of estimated spend.

use super::Config;
use super::problems::Problems;
use std::collections::HashMap;

/// Prices per message: by channel and country, else by channel, else the default.
#[derive(Debug, Clone, Default)]
pub struct Prices {
    pub currency: String,
    default: f64,
    channels: HashMap<String, (Option<f64>, HashMap<String, f64>)>,
}

impl Prices {
    /// The estimated price of one message by `channel` to a number in `region`.
    pub fn of(&self, channel: &str, region: &str) -> f64 {
        match self.channels.get(channel) {
            Some((per_message, countries)) => countries
                .get(region)
                .copied()
                .or(*per_message)
                .unwrap_or(self.default),
            None => self.default,
        }
    }
}

fn price(value: f64, what: &str, p: &mut Problems) -> f64 {
    let ok = value.is_finite() && value >= 0.0;
    p.check(ok, format!("{what}: a price of zero or more"));
    if ok { value } else { 0.0 }
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Prices {
    let c = &config.costs;
    p.check(
        c.currency.len() == 3 && c.currency.bytes().all(|b| b.is_ascii_uppercase()),
        "costs.currency: an ISO 4217 code, like \"USD\"",
    );
    let channels = c
        .channels
        .iter()
        .map(|(name, ch)| {
            let what = format!("costs.channels.{name}");
            let per_message = ch
                .per_message
                .map(|v| price(v, &format!("{what}.per_message"), p));
            let countries = ch
                .countries
                .iter()
                .map(|(country, v)| {
                    let key = format!("{what}.countries.{country}");
                    p.check(
                        country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()),
                        format!("{key}: countries are ISO 3166-1 alpha-2 codes in capitals"),
                    );
                    (country.clone(), price(*v, &key, p))
                })
                .collect();
            (name.clone(), (per_message, countries))
        })
        .collect();
    Prices {
        currency: c.currency.clone(),
        default: price(c.per_message, "costs.per_message", p),
        channels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::file::ChannelPrices;

    #[test]
    fn the_most_specific_price_wins() {
        let mut config = Config::default();
        config.costs.per_message = 0.05;
        config.costs.channels.insert(
            "whatsapp".into(),
            ChannelPrices {
                per_message: Some(0.03),
                countries: [("IN".to_owned(), 0.0014)].into_iter().collect(),
            },
        );
        let mut p = Problems::default();
        let prices = resolve(&config, &mut p);
        assert!(p.finish().is_ok());
        assert!((prices.of("whatsapp", "IN") - 0.0014).abs() < 1e-9);
        assert!((prices.of("whatsapp", "BR") - 0.03).abs() < 1e-9);
        assert!((prices.of("webhook", "IN") - 0.05).abs() < 1e-9);
    }
}
