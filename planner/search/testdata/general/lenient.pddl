; What Fast Downward's translator accepts beyond the letter of PDDL: a type
; named as a unary predicate in conditions (it holds of the objects of
; that type), atoms whose arguments are not of the predicate's declared
; types (visited of a vehicle), a supertype never declared itself
; (vehicle), an action without :parameters, an action whose effect is
; empty, and negated facts in :init.
(define (domain lenient)
  (:requirements :strips :typing :negative-preconditions)
  (:types truck van - vehicle place)
  (:predicates (at ?v - vehicle ?p - place) (road ?a ?b - place) (visited ?p - place) (idle))
  (:action drive
    :parameters (?v - vehicle ?a ?b - place)
    :precondition (and (at ?v ?a) (road ?a ?b) (not (van ?v)) (place ?b))
    :effect (and (not (at ?v ?a)) (at ?v ?b) (visited ?b) (visited ?v)))
  (:action haul
    :parameters (?v - vehicle ?a ?b - place)
    :precondition (and (at ?v ?a) (van ?v) (vehicle ?v) (not (= ?a ?b)))
    :effect (and (not (at ?v ?a)) (at ?v ?b) (visited ?b)))
  (:action wait :parameters () :effect ())
  (:action rest :precondition (not (idle)) :effect (idle)))
